export { RedisStreamsServer, REDIS_STREAMS_TRANSPORT, type RedisStreamsStatus } from './redis-streams.server.js';
export { type RedisStreamsServerOptions, type TrimPolicy, serverOptionsFromConfig } from './redis-streams.options.js';
// The handlers' delivery contract, shared with the NATS JetStream transport: apps keep importing it with the decorators.
export {
  RedisStreamsContext,
  RetriableError,
  PermanentError,
  type DeliveryPolicy,
  type FailureVerdict,
  type StreamsLogger,
  verdictOnFailure,
} from '@app/bus-delivery';
export { OnEvent, OnAnyEvent, type EventHandlerOf, type AnyEventHandler } from './on-event.decorator.js';
export { EventPublisher, type EventPublisherOptions, type PublishContext } from './event.publisher.js';
export { RedisStreamsModule, type RedisStreamsModuleOptions } from './redis-streams.module.js';
export { ENVELOPE_FIELD, TYPE_FIELD, encodeEnvelope, decodeEntry, entryTypeOf, type DecodedEntry } from './stream-entry.codec.js';
export { compareEntryIds } from './stream-entry.id.js';
export { type StreamGroupStats, streamGroupStats, eventStreamGroupStats } from './stream-group.stats.js';
export { type GroupGaugeSource, registerStreamGroupGauges } from './stream-group.gauges.js';
export { trimStream } from './stream.trimmer.js';
export { type StoredDeadLetter, listDeadLetters, redriveDeadLetter, redriveAllDeadLetters } from './dead-letter.redrive.js';
// Bus-neutral parts the NATS JetStream transport shares with this one.
export { isEnvelope } from './stream-entry.codec.js';
export { KeyedQueue } from './keyed.queue.js';
export { type PeriodicTask, startPeriodic, settlesWithin } from './periodic.task.js';
export { type StreamMetrics, streamMetrics, initConsumerSeries } from './redis-streams.metrics.js';
export { StopSignal } from './stop.signal.js';
