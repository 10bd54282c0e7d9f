import { ConflictError, ErrorCode, NotFoundError, RuleViolationError } from '@app/contracts';

export const orderNotFound = (orderId: string): NotFoundError => new NotFoundError(ErrorCode.OrderNotFound, `No order ${orderId}`, { orderId });

export const orderCancelled = (orderId: string): ConflictError => new ConflictError(ErrorCode.OrderCancelled, `Order ${orderId} was cancelled`, { orderId });

export const orderConfirmed = (orderId: string, checkoutId: string): ConflictError =>
  new ConflictError(ErrorCode.OrderConfirmed, `Order ${orderId} is confirmed: its checkout succeeded`, { orderId, checkoutId });

export const checkoutCancelled = (checkoutId: string): ConflictError =>
  new ConflictError(ErrorCode.OrderCancelled, `Checkout ${checkoutId} was cancelled before its order was created`, { checkoutId });

export const overLimit = (totalCents: number, maxTotalCents: number): RuleViolationError =>
  new RuleViolationError(ErrorCode.OrderOverLimit, `Order total ${totalCents} cents exceeds the limit of ${maxTotalCents} cents`, {
    totalCents,
    maxTotalCents,
  });

export const orderNotConfirmed = (orderId: string): ConflictError =>
  new ConflictError(ErrorCode.OrderNotConfirmed, `Order ${orderId} is not confirmed: there is nothing to refund`, { orderId });
