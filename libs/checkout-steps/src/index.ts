export { type ParticipantName, TransientStepError, isKeyRefusedCode } from './participant.errors.js';
export { type ParticipantClientOptions, participantOptionsOf } from './participant-client.options.js';
export { ParticipantClient } from './participant.client.js';
export { InventoryClient } from './inventory.client.js';
export { type CancelledCheckout, type CancelOptions, type PlaceOrder, OrdersClient } from './orders.client.js';
export { type AuthorizePayment, PaymentsClient } from './payments.client.js';
export { type StepOutcome, type StepRefusal } from './step-outcome.js';
export { type PricedItems, checkAvailability, priceItems, reserveStock, releaseStock } from './stock.steps.js';
export { createOrder, cancelOrder, confirmOrder } from './order.steps.js';
export { authorizePayment, voidPayment } from './payment.steps.js';
export {
  type Compensation,
  type ConfirmationFence,
  type ForwardStep,
  type PlannedCompensation,
  COMPENSATION_OF,
  FORWARD_STEPS,
  compensationPlan,
  planUnlessConfirmed,
} from './compensation.plan.js';
export { type CompensatingParticipants, compensate, compensationSpan, runPlan } from './compensation.steps.js';
export { type ParticipantOverrides, CheckoutStepsModule } from './checkout-steps.module.js';
