import { LATENCY_BUCKETS } from '@app/observability';
import { Counter, Histogram, register } from 'prom-client';

/**
 * The transport's metrics, on the default registry. Created on first use and looked up afterwards,
 * because one process (a test, a hybrid app) may start several servers and publishers; the
 * `consumer` label is the consumer group, the app-level name dashboards compare.
 */
export interface StreamMetrics {
  published: Counter<'topic' | 'type'>;
  consumed: Counter<'topic' | 'type' | 'consumer'>;
  latency: Histogram<'topic' | 'type'>;
  redeliveries: Counter<'topic' | 'consumer'>;
  deadLetters: Counter<'topic' | 'consumer'>;
}

export function streamMetrics(): StreamMetrics {
  return {
    published: counter('events_published_total', 'Events appended to a stream', ['topic', 'type']),
    consumed: counter('events_consumed_total', 'Events handled successfully and acknowledged', ['topic', 'type', 'consumer']),
    latency: histogram('event_latency_seconds', 'From occurredAt to the start of handling', ['topic', 'type']),
    redeliveries: counter('stream_redeliveries_total', 'Entries delivered again after a failure, crash or claim', ['topic', 'consumer']),
    deadLetters: counter('stream_dead_letters_total', 'Entries moved to the dead-letter stream', ['topic', 'consumer']),
  };
}

function counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  return (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames });
}

function histogram<L extends string>(name: string, help: string, labelNames: L[]): Histogram<L> {
  return (register.getSingleMetric(name) as Histogram<L> | undefined) ?? new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS });
}
