import { ConflictError, ErrorCode, NotFoundError, PaymentRefusedError, RuleViolationError } from '@app/contracts';
import { type AuthorizationRow, toAuthorization } from './authorization.mapper.js';

export const authorizationNotFound = (checkoutId: string): NotFoundError =>
  new NotFoundError(ErrorCode.AuthorizationNotFound, `No authorization for checkout ${checkoutId}`, { checkoutId });

/** The 402 body carries the declined authorization itself, so a caller sees the same shape as on success. */
export const declined = (row: AuthorizationRow): PaymentRefusedError =>
  new PaymentRefusedError(row.decline_code ?? ErrorCode.CardDeclined, row.reason ?? 'Declined', { ...toAuthorization(row) });

export const voidedBeforeAuthorization = (checkoutId: string): ConflictError =>
  new ConflictError(ErrorCode.AuthorizationVoided, `Checkout ${checkoutId} was voided before it was authorized`, { checkoutId });

/** Sealed with another key pair (PAYMENT_TOKEN_PUBLIC_KEY differs between the entry points and payments), for another checkout, or altered. */
export const tokenUnreadable = (checkoutId: string): RuleViolationError =>
  new RuleViolationError(ErrorCode.PaymentTokenUnreadable, `The sealed payment token of checkout ${checkoutId} cannot be opened here`, { checkoutId });
