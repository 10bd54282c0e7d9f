import { trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import type { TimelineEntry } from '@app/projections';

/** A trace of the checkout, and where the traces UI shows it. */
export interface TraceLink {
  traceId: string;
  url: string;
}

/**
 * The trace id of a W3C `traceparent`, or undefined when the apps' propagator would not continue
 * it either (malformed, or an all-zero id): a garbled context links nowhere.
 */
export function traceIdOf(traceparent: string): string | undefined {
  const spanContext = parseTraceParent(traceparent);
  return spanContext !== null && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The distinct trace ids the events carry, in the order they first appear; none when nothing was traced. */
export function traceIdsOf(entries: readonly Pick<TimelineEntry, 'traceparent'>[]): string[] {
  const ids = entries.map((entry) => (entry.traceparent === undefined ? undefined : traceIdOf(entry.traceparent)));
  return [...new Set(ids.filter((id) => id !== undefined))];
}

/** A link to each trace of the events, at `<tracesUrl>/trace/<traceId>` (Jaeger's); none when `tracesUrl` is empty. */
export function traceLinksOf(entries: readonly Pick<TimelineEntry, 'traceparent'>[], tracesUrl: string): TraceLink[] {
  if (tracesUrl === '') return [];
  const base = tracesUrl.replace(/\/+$/, '');
  return traceIdsOf(entries).map((traceId) => ({ traceId, url: `${base}/trace/${traceId}` }));
}
