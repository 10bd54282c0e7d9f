import type { AppConfig } from '@app/config';
import { type AnyEvent, STREAMS } from '@app/contracts';
import { JetStreamNames, connectNats } from '@app/nats-jetstream';
import { decodeEntry, isEnvelope } from '@app/redis-streams';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

/** The bus settings a test reader needs. */
export type BusReadConfig = Pick<AppConfig, 'BUS' | 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'NATS_URL' | 'NATS_PREFIX'>;

/** One page of a stream read from a cursor, oldest first; `envelope` is null for an entry that is no event. */
export interface StreamPage {
  entries: Array<{ envelope: AnyEvent | null }>;
  /** Where the next read starts. */
  cursor: string | undefined;
  /** Whether the stream may hold more after this page. */
  more: boolean;
}

/** Reads a stream of the bus as it is stored, without any consumer group, so reading it changes nothing for the workers. */
export interface StreamSource {
  readonly key: string;
  read(cursor: string | undefined, page: number): Promise<StreamPage>;
  close(): Promise<void>;
}

export function redisSource(url: string, key: string): StreamSource {
  const redis = new Redis(url);
  return {
    key,
    async read(cursor, page) {
      const entries = await redis.xrange(key, cursor === undefined ? '-' : `(${cursor}`, '+', 'COUNT', page);
      const decoded = entries.map(([, fields]) => decodeEntry(fields));
      return {
        entries: decoded.map((entry) => ({ envelope: entry.kind === 'event' ? entry.envelope : null })),
        cursor: entries.at(-1)?.[0] ?? cursor,
        more: entries.length === page,
      };
    },
    close() {
      redis.disconnect();
      return Promise.resolve();
    },
  };
}

/** Reads a JetStream stream message by message from its sequence, in parallel within a page. */
export function jetStreamSource(url: string, prefix: string, stream: string): StreamSource {
  const names = new JetStreamNames(prefix);
  const name = names.streamName(stream);
  let connected: Promise<{ connection: NatsConnection; jsm: JetStreamManager }> | undefined;
  const connect = () =>
    (connected ??= connectNats(url, 'test:stream-reader').then(async (connection) => ({ connection, jsm: await jetstreamManager(connection) })));
  return {
    key: name,
    async read(cursor, page) {
      const { jsm } = await connect();
      const last = await jsm.streams.info(name).then(
        (info) => info.state.last_seq,
        () => 0,
      );
      const from = Number(cursor ?? 0) + 1;
      const to = Math.min(last, from + page - 1);
      const seqs = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
      const messages = await Promise.all(seqs.map((seq) => jsm.streams.getMessage(name, { seq }).catch(() => null)));
      const entries = messages.map((message) => {
        if (message === null) return { envelope: null };
        try {
          const value: unknown = message.json();
          return { envelope: isEnvelope(value) ? value : null };
        } catch {
          return { envelope: null };
        }
      });
      return { entries, cursor: seqs.length > 0 ? String(to) : cursor, more: to < last };
    },
    async close() {
      if (connected !== undefined) await (await connected).connection.close();
    },
  };
}

/** The checkout stream of the bus `config` names. */
export function checkoutSource(config: BusReadConfig): StreamSource {
  return config.BUS === 'nats'
    ? jetStreamSource(config.NATS_URL, config.NATS_PREFIX, STREAMS.checkout)
    : redisSource(config.REDIS_URL, `${config.REDIS_KEY_PREFIX}${STREAMS.checkout}`);
}
