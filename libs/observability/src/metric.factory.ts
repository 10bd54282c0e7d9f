import { Counter, Gauge, Histogram, register } from 'prom-client';

/** Buckets (seconds) that resolve single milliseconds up to tens of seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.04, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Config<T extends string> = { name: string; help: string; labelNames?: readonly T[] };

/**
 * Returns the metric registered under `name`, creating it the first time: several apps or
 * components in one process (tests, the all-in-one runner) share a registry.
 */
function getOrCreate<M>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

export const counter = <T extends string>(config: Config<T>): Counter<T> => getOrCreate(config.name, () => new Counter<T>({ ...config }));

export const gauge = <T extends string>(config: Config<T> & { collect?: (this: Gauge<T>) => void | Promise<void> }): Gauge<T> =>
  getOrCreate(config.name, () => new Gauge<T>({ ...config }));

export const histogram = <T extends string>(config: Config<T> & { buckets?: number[] }): Histogram<T> =>
  getOrCreate(config.name, () => new Histogram<T>({ buckets: LATENCY_BUCKETS, ...config }));
