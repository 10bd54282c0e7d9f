export { type CheckoutStatus, type CheckoutView, checkoutIdOf, evolveCheckout, isOrchestrated } from './checkout.projection.js';
export { type OrdersByClientView, type ClientOrderView, clientOrderKeyOf, evolveClientOrder, isCounted } from './orders-by-client.projection.js';
export { type CartView, evolveCart, foldCart } from './cart.projection.js';
export { type TimelineEntry, type CheckoutReplay, replayCheckout } from './replay.js';
export { type ParcelStatus, type ParcelView, type ParcelTimelineEntry, parcelIdOf, evolveParcel } from './parcel.projection.js';
