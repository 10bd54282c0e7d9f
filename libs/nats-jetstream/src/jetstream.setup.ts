import { type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { type NatsConnection, connect, nanos } from '@nats-io/transport-node';
import type { JetStreamNames } from './jetstream.names.js';

/** How the streams are kept: copies, the duplicate window of idempotent publishing, retention. */
export interface StreamSettings {
  replicas: number;
  duplicateWindowMs: number;
  /** 0: kept until removed by hand. */
  maxAgeMs: number;
}

/** A connection named after its role (visible in the server's connection list), reconnecting forever. */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url.split(','), name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}

/**
 * Creates the bus's streams and their dead-letter streams, or brings an existing one to these
 * settings. Every app does it at start, so whichever starts first creates them; creating a stream
 * that exists with the same settings is a no-op.
 */
export async function ensureStreams(jsm: JetStreamManager, names: JetStreamNames, settings: StreamSettings): Promise<void> {
  for (const stream of names.streams) {
    await ensureStream(jsm, {
      ...common(settings),
      name: names.streamName(stream),
      subjects: [names.wildcardOf(stream)],
      duplicate_window: nanos(settings.duplicateWindowMs),
    });
    // Dead letters wait for an operator: they do not age out.
    await ensureStream(jsm, { ...common(settings), name: names.deadLetterStreamName(stream), subjects: [names.deadLetterSubject(stream)], max_age: 0 });
  }
}

function common(settings: StreamSettings): Partial<StreamConfig> {
  return {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: settings.replicas,
    max_age: nanos(settings.maxAgeMs),
  };
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch (error) {
    if (!(error instanceof Error && /already in use/i.test(error.message))) throw error;
    const { name, ...changes } = config;
    await jsm.streams.update(name, changes);
  }
}
