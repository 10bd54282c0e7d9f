import { TYPE_STREAMS } from '@app/contracts';
import type { Redis } from 'ioredis';
import { compareEntryIds } from './stream-entry.id.js';

/** One consumer group of a stream, as operators and dashboards want to see it. */
export interface StreamGroupStats {
  name: string;
  consumers: number;
  /** Entries delivered to the group and not acknowledged yet. */
  pending: number;
  /** Entries not yet delivered to the group; `null` when Redis cannot tell (after some deletions). */
  lag: number | null;
  lastDeliveredId: string;
  oldestPendingId: string | null;
}

/**
 * Every consumer group of `stream` (the key as stored, prefix included) with its consumers,
 * pending count and lag; an empty list when the stream does not exist. Two round trips.
 */
export async function streamGroupStats(redis: Redis, stream: string): Promise<StreamGroupStats[]> {
  let reply: unknown;
  try {
    reply = await redis.xinfo('GROUPS', stream);
  } catch (error) {
    if (error instanceof Error && /no such key/i.test(error.message)) return [];
    throw error;
  }
  const groups = (reply as unknown[][]).map(flatToRecord);
  if (groups.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const group of groups) pipeline.xpending(stream, String(group['name']));
  const summaries = (await pipeline.exec()) ?? [];
  return groups.map((group, i) => {
    const [error, summary] = summaries[i] ?? [new Error('no XPENDING reply'), null];
    if (error) throw error;
    const [, oldest] = summary as [number, string | null, string | null, unknown];
    return {
      name: String(group['name']),
      consumers: Number(group['consumers']),
      pending: Number(group['pending']),
      lag: group['lag'] === null || group['lag'] === undefined ? null : Number(group['lag']),
      lastDeliveredId: String(group['last-delivered-id']),
      oldestPendingId: oldest ?? null,
    };
  });
}

/** Redis replies maps as flat `[key, value, key, value]` lists. */
export function flatToRecord(flat: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[String(flat[i])] = flat[i + 1];
  return record;
}

/**
 * Rows of one group on several streams holding the same events (a stream and its type streams)
 * summed into one per group: pending and lag added (lag unknown when one is), the oldest pending
 * entry the oldest of them, the last delivered the latest.
 */
export function sumPerGroup(groups: readonly StreamGroupStats[]): StreamGroupStats[] {
  const byName = new Map<string, StreamGroupStats>();
  for (const group of groups) {
    const seen = byName.get(group.name);
    byName.set(
      group.name,
      seen === undefined
        ? { ...group }
        : {
            name: group.name,
            consumers: Math.max(seen.consumers, group.consumers),
            pending: seen.pending + group.pending,
            lag: seen.lag === null || group.lag === null ? null : seen.lag + group.lag,
            lastDeliveredId: compareEntryIds(seen.lastDeliveredId, group.lastDeliveredId) >= 0 ? seen.lastDeliveredId : group.lastDeliveredId,
            oldestPendingId: oldestOf(seen.oldestPendingId, group.oldestPendingId),
          },
    );
  }
  return [...byName.values()];
}

function oldestOf(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return compareEntryIds(a, b) <= 0 ? a : b;
}

/**
 * The consumer groups of `stream` (as `STREAMS` names it) as operators want them: those reading the
 * stream and those reading its type streams (`<stream>.<Type>`), summed per group.
 */
export async function eventStreamGroupStats(redis: Redis, keyPrefix: string, stream: string): Promise<StreamGroupStats[]> {
  const streams = [stream, ...[...TYPE_STREAMS].filter(([, of]) => of === stream).map(([typeStream]) => typeStream)];
  const groups = await Promise.all(streams.map((name) => streamGroupStats(redis, `${keyPrefix}${name}`)));
  return sumPerGroup(groups.flat());
}
