import type { Redis } from 'ioredis';
import { STREAMS, TYPE_STREAMS, deadLetterStreamOf } from '@app/contracts';
import { JetStreamAdmin } from '@app/nats-jetstream';
import { decodeEntry } from '@app/redis-streams';
import { jetStreamSource } from '@app/testing';

const PAGE = 1_000;

/** What the suite reads from the bus, whichever it is, to check the invariants and explain a violation. */
export interface BusProbe {
  /** Event ids appended to `stream` after `cursor` ('0': from the start), with the new cursor; poison and `excluded` entries skipped. */
  eventIdsAfter(stream: string, cursor: string, excluded: ReadonlySet<string>): Promise<{ ids: Set<string>; cursor: string }>;
  /** The consumer groups that still have entries pending or unread, described; none once the bus is drained. */
  undrainedGroups(): Promise<string[]>;
  /** The dead letters of the checkout stream about this checkout: which event, which group gave up, why. */
  deadLettersOf(checkoutId: string): Promise<string[]>;
  close(): Promise<void>;
}

function parsed(json: string | undefined): unknown {
  try {
    return JSON.parse(json ?? 'null');
  } catch {
    return null;
  }
}

/** `XINFO GROUPS` as records. */
async function groupsOf(redis: Redis, stream: string): Promise<Record<string, unknown>[]> {
  const reply = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
  return reply.map((fields) => Object.fromEntries(fields.flatMap((value, i) => (i % 2 === 0 ? [[String(value), fields[i + 1]]] : []))));
}

/** The suite's Redis, read with XRANGE and XINFO (no prefix: the suite's Redis is its own). */
export function redisProbe(redis: Redis): BusProbe {
  return {
    async eventIdsAfter(stream, cursor, excluded) {
      const ids = new Set<string>();
      for (;;) {
        const entries = await redis.xrange(stream, cursor === '0' ? '-' : `(${cursor}`, '+', 'COUNT', PAGE);
        for (const [entryId, fields] of entries) {
          cursor = entryId;
          const decoded = decodeEntry(fields);
          if (decoded.kind === 'event' && !excluded.has(entryId)) ids.add(decoded.envelope.eventId);
        }
        if (entries.length < PAGE) return { ids, cursor };
      }
    },
    async undrainedGroups() {
      const undrained: string[] = [];
      for (const stream of [...Object.values(STREAMS), ...TYPE_STREAMS.keys()]) {
        const lastId = await redis
          .xinfo('STREAM', stream)
          .then((info) => {
            const fields = info as unknown[];
            return String(fields[fields.indexOf('last-generated-id') + 1]);
          })
          .catch(() => undefined);
        if (lastId === undefined) continue;
        for (const group of await groupsOf(redis, stream)) {
          const pending = Number(group['pending']);
          const behind = String(group['last-delivered-id']) !== lastId;
          if (pending !== 0 || behind) undrained.push(`${stream} group ${String(group['name'])}: ${pending} pending${behind ? ', entries unread' : ''}`);
        }
      }
      return undrained;
    },
    async deadLettersOf(checkoutId) {
      const letters = await redis.xrange(deadLetterStreamOf(STREAMS.checkout), '-', '+');
      return letters.flatMap(([, fields]) => {
        const field = (name: string) => fields[fields.indexOf(name) + 1];
        const event = parsed(field('event')) as { type?: string; correlationId?: string } | null;
        if (event?.correlationId !== checkoutId) return [];
        return [`${event.type} by group ${field('group')} after ${field('attempts')} deliveries (${field('error')})`];
      });
    },
    close() {
      redis.disconnect();
      return Promise.resolve();
    },
  };
}

/** The suite's JetStream cluster, read message by message and through the consumers' info (no prefix: the cluster is the suite's own). */
export async function jetStreamProbe(url: string): Promise<BusProbe> {
  const admin = await JetStreamAdmin.connect(url, '');
  const sources = new Map(Object.values(STREAMS).map((stream) => [stream, jetStreamSource(url, '', stream)]));
  return {
    async eventIdsAfter(stream, cursor, excluded) {
      const source = sources.get(stream as (typeof STREAMS)[keyof typeof STREAMS]);
      if (source === undefined) throw new Error(`No stream ${stream}`);
      const ids = new Set<string>();
      for (;;) {
        const page = await source.read(cursor, PAGE);
        cursor = page.cursor ?? cursor;
        for (const { envelope } of page.entries) if (envelope !== null && !excluded.has(envelope.eventId)) ids.add(envelope.eventId);
        if (!page.more) return { ids, cursor };
      }
    },
    async undrainedGroups() {
      const undrained: string[] = [];
      for (const stream of Object.values(STREAMS)) {
        const { groups } = await admin.summary(stream);
        for (const group of groups) {
          const behind = (group.lag ?? 0) > 0;
          if (group.pending !== 0 || behind) undrained.push(`${stream} group ${group.name}: ${group.pending} pending${behind ? ', entries unread' : ''}`);
        }
      }
      return undrained;
    },
    async deadLettersOf(checkoutId) {
      const letters = await admin.listDeadLetters(STREAMS.checkout, { limit: 10_000 });
      return letters.flatMap((letter) => {
        const event = letter.event as { type?: string; correlationId?: string } | null;
        if (event?.correlationId !== checkoutId) return [];
        return [`${event.type} by group ${letter.group} after ${letter.attempts} deliveries (${letter.error})`];
      });
    },
    async close() {
      await Promise.all([...sources.values()].map((source) => source.close()));
      await admin.close();
    },
  };
}
