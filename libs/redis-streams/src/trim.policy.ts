/** What trimming needs to know about one consumer group of a stream. */
export interface GroupProgress {
  lastDeliveredId: string;
  /** The oldest entry delivered to the group and not acknowledged, if any. */
  oldestPendingId: string | null;
}

/** Orders two stream ids (`<ms>-<seq>`) numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = parseStreamId(a);
  const [bMs, bSeq] = parseStreamId(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

/** The smallest id greater than `id`. */
export function nextStreamId(id: string): string {
  const [ms, seq] = parseStreamId(id);
  return `${ms}-${seq + 1n}`;
}

/**
 * The `MINID` below which every group is done: each group still needs its oldest pending entry and
 * everything after its last delivered one. `null` when the stream has no group, so no group limits
 * trimming.
 */
export function safeTrimId(groups: readonly GroupProgress[]): string | null {
  let safe: string | null = null;
  for (const group of groups) {
    const needed = group.oldestPendingId ?? nextStreamId(group.lastDeliveredId);
    if (safe === null || compareStreamIds(needed, safe) < 0) safe = needed;
  }
  return safe;
}

function parseStreamId(id: string): [bigint, bigint] {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (match === null) throw new Error(`Not a stream id: "${id}"`);
  return [BigInt(match[1] ?? '0'), BigInt(match[2] ?? '0')];
}
