import { context, propagation } from '@opentelemetry/api';

/**
 * The W3C trace context an event carries (`traceparent`, and `tracestate` when there is one): the
 * span that was current where the event was created, so its consumers continue the same trace.
 */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/**
 * The trace context of the current span, or `undefined` when nothing traces: without the SDK the
 * propagator is a no-op and the envelope gets no field at all.
 */
export function captureTraceContext(): TraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const { traceparent, tracestate } = carrier;
  if (traceparent === undefined) return undefined;
  return tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
}

/**
 * The carrier to extract an event's trace context from. Lenient on purpose: whatever the field
 * holds (absent, garbled, of another type), the worst outcome is an empty carrier, from which the
 * propagator starts a new trace; it never throws.
 */
export function traceCarrierOf(event: { traceContext?: unknown }): Record<string, string> {
  const field = event.traceContext;
  if (typeof field !== 'object' || field === null) return {};
  const { traceparent, tracestate } = field as Record<string, unknown>;
  if (typeof traceparent !== 'string') return {};
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}
