export { withCorrelation, currentCorrelationId } from './correlation.context.js';
export { createLogger } from './logger.js';
export { PinoNestLogger } from './pino-nest.logger.js';
export { LATENCY_BUCKETS, counter, gauge, histogram } from './metric.factory.js';
export { type CheckoutOutcome, type SagaPattern, checkoutMetrics, choreographyMetrics } from './checkout.metrics.js';
