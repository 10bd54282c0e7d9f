export {
  type SagaWorker,
  SAGA_WORKERS,
  stockReservationReaction,
  orderCreationReaction,
  paymentReaction,
  orderConfirmationReaction,
  orderCompensationReaction,
  stockCompensationReaction,
} from './choreography.reactions.js';
export { compensationsBeforeStockRelease } from './choreography.compensations.js';
export { redeliverIfUnavailable } from './delivery.policy.js';
export { runCheckoutStep } from './checkout-step.span.js';
export { sagaWorkerModule } from './saga-worker.module.js';
export { type Milestone, milestoneOf, publishReaction } from './checkout.milestones.js';
