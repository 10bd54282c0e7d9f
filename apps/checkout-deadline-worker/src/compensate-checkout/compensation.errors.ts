import { ConflictError, ErrorCode, NotFoundError } from '@app/contracts';

export const checkoutNotWatched = (checkoutId: string): NotFoundError =>
  new NotFoundError(ErrorCode.CheckoutNotFound, `No checkout ${checkoutId}`, { checkoutId });

export const checkoutAlreadyEnded = (checkoutId: string, status: string): ConflictError =>
  new ConflictError('CHECKOUT.ALREADY_ENDED', `Checkout ${checkoutId} already ended ${status}: there is nothing to compensate`, { checkoutId, status });

export const orderConfirmed = (checkoutId: string, reason: string): ConflictError =>
  new ConflictError(ErrorCode.OrderConfirmed, `The order of checkout ${checkoutId} is confirmed, so the checkout succeeded: not compensated (${reason})`, {
    checkoutId,
  });

/** Another instance holds the checkout's claim: thrown between looks, until the claim is released or lapses. */
export class ClaimHeldError extends Error {
  constructor(readonly checkoutId: string) {
    super(`Checkout ${checkoutId} is being compensated by another instance`);
    this.name = 'ClaimHeldError';
  }
}
