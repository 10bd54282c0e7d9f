/**
 * Stable codes of the business refusals the participants produce. They travel in HTTP error bodies
 * (`{ code, message }`), in failure events and in saga outcomes.
 */
export const ErrorCode = {
  UnknownSku: 'INVENTORY.UNKNOWN_SKU',
  InsufficientStock: 'INVENTORY.INSUFFICIENT_STOCK',
  ReservationNotFound: 'INVENTORY.RESERVATION_NOT_FOUND',
  ReservationReleased: 'INVENTORY.RESERVATION_RELEASED',
  ReservationConfirmed: 'INVENTORY.RESERVATION_CONFIRMED',
  OrderNotFound: 'ORDERS.ORDER_NOT_FOUND',
  OrderOverLimit: 'ORDERS.OVER_LIMIT',
  OrderCancelled: 'ORDERS.ORDER_CANCELLED',
  OrderConfirmed: 'ORDERS.ORDER_CONFIRMED',
  CardDeclined: 'PAYMENTS.CARD_DECLINED',
  InsufficientFunds: 'PAYMENTS.INSUFFICIENT_FUNDS',
  AuthorizationNotFound: 'PAYMENTS.AUTHORIZATION_NOT_FOUND',
  AuthorizationVoided: 'PAYMENTS.AUTHORIZATION_VOIDED',
  PaymentTokenUnreadable: 'PAYMENTS.TOKEN_UNREADABLE',
  CheckoutNotFound: 'CHECKOUT.NOT_FOUND',
  CheckoutDeadlineExceeded: 'CHECKOUT.DEADLINE_EXCEEDED',
  CartNotFound: 'CART.NOT_FOUND',
  CartEmpty: 'CART.EMPTY',
  CartCheckedOut: 'CART.CHECKED_OUT',
  CartConcurrentChange: 'CART.CONCURRENT_CHANGE',
  ClientNotFound: 'CQRS.CLIENT_NOT_FOUND',
  DeadLetterNotFound: 'EVENT_STORE.DEAD_LETTER_NOT_FOUND',
  StoreBehindProjection: 'EVENT_STORE.STORE_BEHIND_PROJECTION',
  InjectedFault: 'FAULT.INJECTED',
  OrderNotConfirmed: 'ORDERS.ORDER_NOT_CONFIRMED',
  ParcelNotFound: 'SHIPPING.PARCEL_NOT_FOUND',
  IllegalParcelTransition: 'SHIPPING.ILLEGAL_TRANSITION',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
