/** One sample of a Prometheus text exposition. */
export interface MetricSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of a `/metrics` body. The apps expose prom-client's text format, whose sample lines a
 * regex reads reliably (as the bench does); comments and blank lines are skipped.
 */
export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of (match[2] ?? '').matchAll(LABEL)) labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

const matches = (sample: MetricSample, name: string, labels: Record<string, string>): boolean =>
  sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value);

/** The sum of the series `name` whose labels include `labels` (0 when none). */
export function sumOf(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => matches(s, name, labels)).reduce((total, s) => total + s.value, 0);
}

/** A histogram's cumulative buckets (upper bound -> count), summed over the series matching `labels`. */
export function bucketsOf(samples: readonly MetricSample[], histogram: string, labels: Record<string, string> = {}): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const sample of samples) {
    const le = sample.labels['le'];
    if (le === undefined || !matches(sample, `${histogram}_bucket`, labels)) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + sample.value);
  }
  return buckets;
}
