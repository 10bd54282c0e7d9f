/**
 * The `q` quantile (0-1) of the observations counted by cumulative buckets (upper bound -> count),
 * interpolated linearly inside its bucket as PromQL's `histogram_quantile` does. Null when there is
 * no observation; the highest finite bound when the quantile falls in the +Inf bucket.
 */
export function histogramQuantile(buckets: ReadonlyMap<number, number>, q: number): number | null {
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      if (count === lowerCount) return bound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** `later - earlier` bucket by bucket: the observations made between two scrapes (a reset counts from 0). */
export function bucketIncrease(later: ReadonlyMap<number, number>, earlier: ReadonlyMap<number, number> | undefined): Map<number, number> {
  const reset = earlier !== undefined && [...later].some(([bound, count]) => count < (earlier.get(bound) ?? 0));
  return new Map([...later].map(([bound, count]) => [bound, reset || earlier === undefined ? count : count - (earlier.get(bound) ?? 0)]));
}
