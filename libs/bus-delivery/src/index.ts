export { DeliveryServer, type HandledDelivery } from './delivery.server.js';
export {
  type DeliveryServerOptions,
  type ResolvedDeliveryOptions,
  type StreamsLogger,
  deliveryOptionsFromConfig,
  deliverySettingsFromConfig,
  resolveDeliveryOptions,
} from './delivery.options.js';
export { RedisStreamsContext } from './delivery.context.js';
export { RetriableError, PermanentError } from './delivery.errors.js';
export { type DeliveryPolicy, type FailureVerdict, verdictOnFailure, describeError } from './delivery.policy.js';
