// @ts-check

/** The first moments of a step only fill the pipeline (up to rate x latency); they say nothing of growth. */
const SETTLING_SECONDS = 0.5;

/**
 * How fast a backlog grows, per second: the mean of the second half of the samples minus the mean
 * of the first half, over the time between the two. A system that keeps up holds its backlog flat
 * (Little's law: rate x latency); one that does not adds the difference between arrivals and
 * completions every second. Means of halves are steadier than a slope through a few noisy samples.
 * @param {{ t: number, value: number }[]} samples
 */
export function growthPerSecond(samples) {
  const settled = samples.filter((s) => s.t >= SETTLING_SECONDS);
  if (settled.length < 4) return 0;
  const half = Math.floor(settled.length / 2);
  const mean = (/** @type {{ t: number, value: number }[]} */ part, /** @type {'t' | 'value'} */ field) =>
    part.reduce((sum, s) => sum + s[field], 0) / part.length;
  const first = settled.slice(0, half);
  const second = settled.slice(settled.length - half);
  const elapsed = mean(second, 't') - mean(first, 't');
  return elapsed <= 0 ? 0 : (mean(second, 'value') - mean(first, 'value')) / elapsed;
}
