import { eventStreamOf } from '@app/contracts';
import type { Redis } from 'ioredis';
import { Gauge, register } from 'prom-client';
import { type StreamGroupStats, streamGroupStats, sumPerGroup } from './stream-group.stats.js';

/**
 * Streams whose groups are reported: several servers of one process each add their own. The groups
 * are read from Redis (`redis`, `keyPrefix`), or by `statsOf` for another bus.
 */
export type GroupGaugeSource = ({ redis: Redis; keyPrefix: string } | { statsOf(topic: string): Promise<StreamGroupStats[]> }) & {
  /** Stream names without prefix; they become the `topic` label (a type stream's, the stream it copies). */
  streams: readonly string[];
  /** Report only this group (a worker reports its own); all groups when absent. */
  group?: string;
};

type Row = { topic: string } & StreamGroupStats;

const sources = new Set<GroupGaugeSource>();
/** Both gauges are collected in one scrape: they share one read of Redis. */
const SNAPSHOT_TTL_MS = 1_000;
let snapshot: { at: number; rows: Promise<Row[]> } | undefined;

/**
 * Reports `stream_group_lag{topic,group}` and `stream_group_pending{topic,group}`, read from Redis
 * at scrape time. Returns the function that stops reporting `source`.
 */
export function registerStreamGroupGauges(source: GroupGaugeSource): () => void {
  sources.add(source);
  gauge('stream_group_lag', 'Entries of a stream not yet delivered to a consumer group', (row) => row.lag);
  gauge('stream_group_pending', 'Entries delivered to a consumer group and not acknowledged', (row) => row.pending);
  return () => {
    sources.delete(source);
  };
}

function gauge(name: string, help: string, valueOf: (row: Row) => number | null): void {
  if (register.getSingleMetric(name) !== undefined) return;
  new Gauge({
    name,
    help,
    labelNames: ['topic', 'group'],
    async collect() {
      this.reset();
      for (const row of await rows()) {
        const value = valueOf(row);
        if (value !== null) this.set({ topic: row.topic, group: row.name }, value);
      }
    },
  });
}

function rows(): Promise<Row[]> {
  if (snapshot === undefined || Date.now() - snapshot.at > SNAPSHOT_TTL_MS) snapshot = { at: Date.now(), rows: readAll() };
  return snapshot.rows;
}

async function readAll(): Promise<Row[]> {
  const all: Row[] = [];
  for (const source of sources) {
    for (const topic of source.streams) {
      const read = 'statsOf' in source ? source.statsOf(topic) : streamGroupStats(source.redis, `${source.keyPrefix}${topic}`);
      const groups = await read.catch((): StreamGroupStats[] => []);
      all.push(...groups.filter((g) => source.group === undefined || g.name === source.group).map((g) => ({ topic: eventStreamOf(topic), ...g })));
    }
  }
  // A worker reading type streams shows under the stream whose events they hold, its rows summed.
  const byTopic = new Map<string, StreamGroupStats[]>();
  for (const { topic, ...group } of all) byTopic.set(topic, [...(byTopic.get(topic) ?? []), group]);
  return [...byTopic].flatMap(([topic, groups]) => sumPerGroup(groups).map((group) => ({ topic, ...group })));
}
