/**
 * The sum of the series `name` whose labels include `labels`, read from a Prometheus text
 * exposition (a `/metrics` body); undefined when no series matches.
 *
 * @example seriesValue(text, 'checkout_duration_seconds_count', { pattern: 'choreographed' })
 */
export function seriesValue(metricsText: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of metricsText.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (match === null || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
