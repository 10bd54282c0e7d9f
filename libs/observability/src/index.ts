export { withCorrelation, currentCorrelationId } from './correlation.context.js';
export { createLogger } from './logger.js';
export { PinoNestLogger } from './pino-nest.logger.js';
export { LATENCY_BUCKETS, counter, gauge, histogram } from './metric.factory.js';
export { type CheckoutOutcome, type SagaPattern, checkoutMetrics, choreographyMetrics } from './checkout.metrics.js';
export { isTracing, flushTraces } from './tracing/tracing.state.js';
export {
  type CheckoutSpanAttributes,
  type EventDelivery,
  type HandledEvent,
  checkoutAttributes,
  currentTraceId,
  currentTraceIds,
  inSpan,
  inSpanFrom,
  recordOutcome,
  recordTransition,
  traceEventHandling,
} from './tracing/spans.js';
export type { Span } from '@opentelemetry/api';
