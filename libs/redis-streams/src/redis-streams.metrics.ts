import { counter, histogram } from '@app/observability';
import type { Counter, Histogram } from 'prom-client';

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
    published: counter({ name: 'events_published_total', help: 'Events appended to a stream', labelNames: ['topic', 'type'] }),
    consumed: counter({ name: 'events_consumed_total', help: 'Events handled successfully and acknowledged', labelNames: ['topic', 'type', 'consumer'] }),
    latency: histogram({ name: 'event_latency_seconds', help: 'From occurredAt to the start of handling', labelNames: ['topic', 'type'] }),
    redeliveries: counter({
      name: 'stream_redeliveries_total',
      help: 'Entries delivered again after a failure, crash or claim',
      labelNames: ['topic', 'consumer'],
    }),
    deadLetters: counter({ name: 'stream_dead_letters_total', help: 'Entries moved to the dead-letter stream', labelNames: ['topic', 'consumer'] }),
  };
}

/**
 * Starts the redelivery and dead-letter series of a consumer group at 0, so a dashboard or an alert
 * reads "none so far" rather than "no data" until the first one happens.
 */
export function initConsumerSeries(metrics: StreamMetrics, topics: Iterable<string>, consumer: string): void {
  for (const topic of topics) {
    metrics.redeliveries.inc({ topic, consumer }, 0);
    metrics.deadLetters.inc({ topic, consumer }, 0);
  }
}
