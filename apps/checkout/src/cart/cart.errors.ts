import { ConflictError, ErrorCode, NotFoundError, RuleViolationError } from '@app/contracts';
import type { CartView } from '@app/projections';

export const cartNotFound = (cartId: string): NotFoundError => new NotFoundError(ErrorCode.CartNotFound, `No cart ${cartId}`, { cartId });

export const cartEmpty = (cartId: string): RuleViolationError => new RuleViolationError(ErrorCode.CartEmpty, `Cart ${cartId} is empty`, { cartId });

export const cartCheckedOut = (cart: CartView): ConflictError =>
  new ConflictError(ErrorCode.CartCheckedOut, `Cart ${cart.cartId} was checked out (${cart.mode}, checkout ${cart.checkoutId})`, {
    cartId: cart.cartId,
    checkoutId: cart.checkoutId,
    mode: cart.mode,
  });

export const cartConcurrentChange = (cartId: string): ConflictError =>
  new ConflictError(ErrorCode.CartConcurrentChange, `Cart ${cartId} kept changing under this request; try again`, { cartId });

export const cartLineLimit = (cartId: string, sku: string, max: number): RuleViolationError =>
  new RuleViolationError('CART.QUANTITY_LIMIT', `Cart ${cartId} would hold more than ${max} of ${sku}`, { cartId, sku, max });

export const cartItemLimit = (cartId: string, max: number): RuleViolationError =>
  new RuleViolationError('CART.TOO_MANY_ITEMS', `Cart ${cartId} would hold more than ${max} different SKUs`, { cartId, max });

/** Another writer appended the cart's next version first: the change is decided again on the new cart. */
export class CartVersionConflict extends Error {
  constructor(
    readonly cartId: string,
    readonly expectedVersion: number,
  ) {
    super(`Cart ${cartId} is no longer at version ${expectedVersion}`);
    this.name = 'CartVersionConflict';
  }
}
