import type { Redis } from 'ioredis';
import type { Delivery, RawEntry } from './stream.delivery.js';

/** An entry this consumer is working on, and when its pending record was last refreshed. */
export interface InFlightEntry {
  stream: string;
  id: string;
  touchedAt: number;
}

export interface ClaimerSettings {
  commands: Redis;
  group: string;
  consumer: string;
  claimIdleMs: number;
  batchSize: number;
  /** Stream key -> topic. */
  topics: ReadonlyMap<string, string>;
  inFlight: Map<string, InFlightEntry>;
  /** How many more entries may be taken on now. */
  room(): number;
  accept(deliveries: Delivery[]): void;
}

export const inFlightKey = (stream: string, id: string): string => `${stream}\u0000${id}`;

/**
 * Recovers pending entries: claims those idle longer than `claimIdleMs` (their consumer died, or
 * their handler failed and they are due for a retry) and keeps this consumer's own running entries
 * from looking idle, so that a slow handler is not claimed and run twice.
 */
export class PendingClaimer {
  constructor(private readonly settings: ClaimerSettings) {}

  /** XAUTOCLAIM on every stream, as far as there is room; resolves with the number of entries claimed. */
  async claim(): Promise<number> {
    const { commands, group, consumer, claimIdleMs, batchSize, topics } = this.settings;
    let claimed = 0;
    for (const stream of topics.keys()) {
      let cursor = '0-0';
      do {
        const room = this.settings.room();
        if (room <= 0) return claimed;
        const reply = (await commands.xautoclaim(stream, group, consumer, claimIdleMs, cursor, 'COUNT', Math.min(batchSize, room))) as [string, RawEntry[]];
        cursor = reply[0];
        claimed += reply[1].length;
        this.settings.accept(await this.withAttempts(stream, reply[1]));
      } while (cursor !== '0-0');
    }
    return claimed;
  }

  /**
   * Resets the idle time of entries running for a while, without counting a delivery (JUSTID), so
   * only entries of consumers that stopped making progress reach `claimIdleMs`.
   */
  async heartbeat(): Promise<void> {
    const { commands, group, consumer, claimIdleMs, inFlight } = this.settings;
    const now = Date.now();
    const stale = new Map<string, InFlightEntry[]>();
    for (const entry of inFlight.values()) {
      if (now - entry.touchedAt < claimIdleMs / 3) continue;
      stale.set(entry.stream, [...(stale.get(entry.stream) ?? []), entry]);
    }
    for (const [stream, entries] of stale) {
      await commands.call('XCLAIM', [stream, group, consumer, 0, ...entries.map((e) => e.id), 'JUSTID']);
      for (const entry of entries) entry.touchedAt = now;
    }
  }

  /**
   * Deliveries for entries re-read or claimed, with their delivery counter from XPENDING (one round
   * trip). Entries already running here, or acknowledged meanwhile, are left out.
   */
  async withAttempts(stream: string, entries: readonly RawEntry[]): Promise<Delivery[]> {
    const { commands, group, inFlight, topics } = this.settings;
    const fresh = entries.filter(([id]) => !inFlight.has(inFlightKey(stream, id)));
    if (fresh.length === 0) return [];
    const pipeline = commands.pipeline();
    for (const [id] of fresh) pipeline.xpending(stream, group, id, id, 1);
    const replies = (await pipeline.exec()) ?? [];
    return fresh.flatMap(([id, fields], i): Delivery[] => {
      const [error, reply] = replies[i] ?? [new Error('no XPENDING reply'), null];
      if (error) throw error;
      const record = (reply as [string, string, number, number][])[0];
      if (record === undefined) return [];
      return [{ stream, topic: topics.get(stream) ?? stream, id, fields, attempt: Number(record[3]) }];
    });
  }
}
