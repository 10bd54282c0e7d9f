export { JetStreamServer, NATS_JETSTREAM_TRANSPORT, type JetStreamStatus } from './jetstream.server.js';
export { type JetStreamServerOptions, jetStreamOptionsFromConfig, streamSettingsFromConfig } from './jetstream.options.js';
export { JetStreamPublisher, type JetStreamPublisherOptions } from './jetstream.publisher.js';
export { JetStreamAdmin, type JetStreamSummary } from './jetstream.admin.js';
export { JetStreamNames, entryIdOf, sequenceOfEntryId } from './jetstream.names.js';
export { type StreamSettings, connectNats, ensureStreams } from './jetstream.setup.js';
