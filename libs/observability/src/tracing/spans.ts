import { type Attributes, type Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { isTracing } from './tracing.state.js';

const tracer = () => trace.getTracer('checkout-sagas');

/** The attributes every checkout span carries, so a trace back end finds a checkout's spans by id. */
export interface CheckoutSpanAttributes {
  checkoutId: string;
  style: 'orchestrated' | 'choreographed';
  /** The business step (`stock`, `order`, `payment`, `confirmation`) or compensation being run. */
  step?: string;
}

/** The span attributes of `attributes`, under the names the dashboards and the tests query. */
export function checkoutAttributes({ checkoutId, style, step }: CheckoutSpanAttributes): Attributes {
  return { 'checkout.id': checkoutId, 'saga.style': style, ...(step !== undefined && { 'saga.step': step }) };
}

/**
 * Runs `work` in a new span, child of the current one: an error ends it in error status (and is
 * rethrown as is). Without tracing, runs `work` alone.
 */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!isTracing()) return work(undefined);
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets the outcome code of the current span (`ok`, or the refusal's code). */
export function recordOutcome(outcome: string, span: Span | undefined = trace.getActiveSpan()): void {
  span?.setAttribute('saga.outcome', outcome);
}

/** A saga transition, as a span event with its from and to states. */
export function recordTransition(from: string, to: string, span: Span | undefined = trace.getActiveSpan()): void {
  span?.addEvent('saga.transition', { 'saga.from': from, 'saga.to': to });
}

/** What a consumer span needs to know of the event it handles. */
export interface HandledEvent {
  eventId: string;
  type: string;
  correlationId: string;
  payload: unknown;
}

/** Where the event was delivered from. */
export interface EventDelivery {
  /** `redis` (Redis Streams), `nats`... */
  system: string;
  /** The stream or subject. */
  destination: string;
  /** The consumer group (the app that handles it). */
  group: string;
  attempt: number;
  /** Which saga style the stream belongs to, when it belongs to one. */
  style?: 'orchestrated' | 'choreographed';
}

/**
 * Runs a handler of an event under a CONSUMER span, child of the span that created the event (its
 * `traceContext`, read through `carrier`). A missing or garbled context yields an empty carrier and
 * a new trace; the handler runs whatever the context holds. Transport-independent: every bus's
 * server calls it around each handler it invokes. Without tracing, runs `handle` alone.
 */
export function traceEventHandling<T>(event: HandledEvent, carrier: Record<string, string>, delivery: EventDelivery, handle: () => Promise<T>): Promise<T> {
  if (!isTracing()) return handle();
  const checkoutId = checkoutIdOf(event);
  const attributes: Attributes = {
    'messaging.system': delivery.system,
    'messaging.operation.type': 'process',
    'messaging.destination.name': delivery.destination,
    'messaging.consumer.group.name': delivery.group,
    'messaging.message.id': event.eventId,
    'messaging.message.conversation_id': event.correlationId,
    'event.type': event.type,
    'delivery.attempt': delivery.attempt,
    ...(checkoutId !== undefined && { 'checkout.id': checkoutId }),
    ...(delivery.style !== undefined && { 'saga.style': delivery.style }),
  };
  return inSpanFrom(carrier, `${event.type} process`, attributes, handle, SpanKind.CONSUMER);
}

/**
 * Runs `work` in a new span whose parent is the trace context `carrier` holds (one that travelled
 * in an event, or was stored with a saga), so work picked up elsewhere or later continues the trace
 * that asked for it. A missing or garbled context leaves only the current span as parent (none in
 * a poll or a scan: a new trace); `work` runs whatever the carrier holds. Without tracing, runs
 * `work` alone.
 */
export function inSpanFrom<T>(
  carrier: Record<string, string>,
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!isTracing()) return work(undefined);
  return context.with(propagation.extract(context.active(), carrier), () => inSpan(name, attributes, work, kind));
}

function checkoutIdOf(event: HandledEvent): string | undefined {
  const payload = event.payload as { checkoutId?: unknown } | null;
  return typeof payload?.checkoutId === 'string' ? payload.checkoutId : undefined;
}

function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  if (error instanceof Error) span.recordException(error);
}

/** The trace and span ids of the current span, for log lines; none outside a span or without tracing. */
export function currentTraceIds(): { trace_id: string; span_id: string } | undefined {
  if (!isTracing()) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** The id of the current trace, for links to it (a response header, the console); none without tracing. */
export function currentTraceId(): string | undefined {
  return currentTraceIds()?.trace_id;
}
