import type { StoredDeadLetter, StreamGroupStats } from '@app/redis-streams';
import { type JetStreamClient, type JetStreamManager, type ConsumerInfo, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { listJetStreamDeadLetters, redriveAllJetStreamDeadLetters, redriveJetStreamDeadLetter } from './jetstream.dead-letters.js';
import { JetStreamNames } from './jetstream.names.js';
import { connectNats } from './jetstream.setup.js';

/** A stream of the bus as operators see it: its messages, its dead letters, its consumer groups. */
export interface JetStreamSummary {
  busLength: number;
  deadLetters: number;
  groups: StreamGroupStats[];
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message);
}

/**
 * What the event store's operators do with the bus on NATS: stream and consumer statistics, the
 * dead letters, their redrive. Consumers of one group (one per event type it takes) are summed into
 * the group, so the view reads as on Redis.
 */
export class JetStreamAdmin {
  private readonly js: JetStreamClient;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly jsm: JetStreamManager,
    readonly names: JetStreamNames,
  ) {
    this.js = jetstream(connection);
  }

  static async connect(url: string, prefix: string): Promise<JetStreamAdmin> {
    return JetStreamAdmin.over(await connectNats(url, 'event-store:admin'), prefix);
  }

  /** An admin on a connection of the caller's (which `close()` then closes). */
  static async over(connection: NatsConnection, prefix: string): Promise<JetStreamAdmin> {
    return new JetStreamAdmin(connection, await jetstreamManager(connection), new JetStreamNames(prefix));
  }

  async summary(stream: string): Promise<JetStreamSummary> {
    const [busLength, deadLetters, consumers] = await Promise.all([
      this.messages(this.names.streamName(stream)),
      this.messages(this.names.deadLetterStreamName(stream)),
      this.consumers(this.names.streamName(stream)),
    ]);
    const groups = new Map<string, StreamGroupStats>();
    for (const info of consumers) {
      const name = this.names.groupOfConsumer(info.name);
      const group = groups.get(name) ?? { name, consumers: 0, pending: 0, lag: 0, lastDeliveredId: '0-0', oldestPendingId: null };
      group.consumers = Math.max(group.consumers, info.num_waiting);
      group.pending += info.num_ack_pending;
      group.lag = (group.lag ?? 0) + info.num_pending;
      if (info.delivered.stream_seq > Number(group.lastDeliveredId.split('-')[1])) group.lastDeliveredId = `0-${info.delivered.stream_seq}`;
      if (info.num_ack_pending > 0) {
        const oldest = `0-${info.ack_floor.stream_seq + 1}`;
        if (group.oldestPendingId === null || oldest < group.oldestPendingId) group.oldestPendingId = oldest;
      }
      groups.set(name, group);
    }
    return { busLength, deadLetters, groups: [...groups.values()] };
  }

  listDeadLetters(stream: string, options: { after?: string; limit: number }): Promise<StoredDeadLetter[]> {
    return listJetStreamDeadLetters(this.jsm, this.names, stream, options).catch((error: unknown) => {
      if (isMissing(error)) return [];
      throw error;
    });
  }

  redriveDeadLetter(stream: string, id: string): Promise<string | undefined> {
    return redriveJetStreamDeadLetter(this.js, this.jsm, this.names, stream, id).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
  }

  redriveAllDeadLetters(stream: string): Promise<number> {
    return redriveAllJetStreamDeadLetters(this.js, this.jsm, this.names, stream).catch((error: unknown) => {
      if (isMissing(error)) return 0;
      throw error;
    });
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async messages(streamName: string): Promise<number> {
    try {
      return (await this.jsm.streams.info(streamName)).state.messages;
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
  }

  private async consumers(streamName: string): Promise<ConsumerInfo[]> {
    try {
      return await this.jsm.consumers.list(streamName).next();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}
