import { ErrorCode, NotFoundError, RuleViolationError } from '@app/contracts';

export const checkoutNotFound = (checkoutId: string): NotFoundError =>
  new NotFoundError(ErrorCode.CheckoutNotFound, `No checkout ${checkoutId}`, { checkoutId });

export const idempotencyKeyReused = (key: string, checkoutId: string): RuleViolationError =>
  new RuleViolationError('CHECKOUT.IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was used for a different checkout (${checkoutId})`, { checkoutId });
