export { STREAMS, type StreamName, deadLetterStreamOf } from './streams.js';
export type * from './participants.js';
export { ErrorCode } from './error-codes.js';
export { DomainError, NotFoundError, ConflictError, RuleViolationError, PaymentRefusedError } from './domain-error.js';
export type { CheckoutEvents, CheckoutStep } from './checkout.events.js';
export type { SagaEvents } from './saga.events.js';
export { SagaState, SAGA_STATES, TERMINAL_SAGA_STATES, COMPENSATING_SAGA_STATES, isSagaState, isTerminalSagaState } from './saga-states.js';
export type { CartEvents } from './cart.events.js';
export { type ShippingEvents, type IncidentKind, type IncidentResolution, INCIDENT_KINDS, INCIDENT_RESOLUTIONS } from './shipping.events.js';
export { type EventMap, type EventType, type EventEnvelope, type AnyEvent, STREAM_OF, EVENT_TYPES, SCHEMA_VERSION } from './event-map.js';
export { TYPE_STREAM_TYPES, TYPE_STREAMS, typeStreamOf, appendStreamsOf, eventStreamOf, deadLetterStreamFor } from './type-streams.js';
export { type EnvelopeContext, createEnvelope, deterministicEventId } from './envelope.js';
export { type TraceContext, captureTraceContext, traceCarrierOf } from './trace-context.js';
export { SKU_PATTERN, ID_PATTERN, MAX_QUANTITY, MAX_ITEMS, LineItemDto, LineItemsDto, PaymentDto, CheckoutRequestDto } from './checkout-request.dto.js';
export { mergeLineItems } from './line-items.js';
export { CheckoutIdParam, IdParam } from './id-params.dto.js';
export { PAYLOAD_SHAPES, payloadProblems } from './payload-shapes.js';
export {
  PaymentTokenSealer,
  PaymentTokenOpener,
  SEALED_PAYMENT_TOKEN,
  paymentTokenDigest,
  sealCheckoutRequest,
  isSameCheckoutRequest,
} from './payment-token.seal.js';
