import { compareEntryIds, nextEntryId } from './stream-entry.id.js';

/** What trimming needs to know about one consumer group of a stream. */
export interface GroupProgress {
  lastDeliveredId: string;
  /** The oldest entry delivered to the group and not acknowledged, if any. */
  oldestPendingId: string | null;
}

/**
 * The `MINID` below which every group is done: each group still needs its oldest pending entry and
 * everything after its last delivered one. `null` when the stream has no group, so no group limits
 * trimming.
 */
export function safeTrimId(groups: readonly GroupProgress[]): string | null {
  let safe: string | null = null;
  for (const group of groups) {
    const needed = group.oldestPendingId ?? nextEntryId(group.lastDeliveredId);
    if (safe === null || compareEntryIds(needed, safe) < 0) safe = needed;
  }
  return safe;
}
