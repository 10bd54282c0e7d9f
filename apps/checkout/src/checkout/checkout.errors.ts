import { ConflictError, ErrorCode, NotFoundError, RuleViolationError } from '@app/contracts';

export const checkoutNotFound = (checkoutId: string): NotFoundError =>
  new NotFoundError(ErrorCode.CheckoutNotFound, `No checkout ${checkoutId}`, { checkoutId });

export const idempotencyKeyReused = (key: string, checkoutId: string): RuleViolationError =>
  new RuleViolationError('CHECKOUT.IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was used for a different checkout (${checkoutId})`, { checkoutId });

export const checkoutAlreadyEnded = (checkoutId: string, status: string): ConflictError =>
  new ConflictError('CHECKOUT.ALREADY_ENDED', `Checkout ${checkoutId} already ended ${status}: there is nothing to compensate`, { checkoutId, status });

export const orderConfirmed = (checkoutId: string, reason: string): ConflictError =>
  new ConflictError(ErrorCode.OrderConfirmed, `The order of checkout ${checkoutId} is confirmed, so the checkout succeeded: not compensated (${reason})`, {
    checkoutId,
  });
