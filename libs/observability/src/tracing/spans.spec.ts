import { Writable } from 'node:stream';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { createLogger } from '../logger.js';
import { currentTraceIds, inSpan, inSpanFrom, recordTransition, traceEventHandling } from './spans.js';
import { markTracingStarted } from './tracing.state.js';

const event = { eventId: 'e1', type: 'OrderCreated', correlationId: 'c1', payload: { checkoutId: 'c1' } };
const delivery = { system: 'redis', destination: 'ecommerce.checkout.events', group: 'payment', attempt: 1, style: 'choreographed' as const };
const PARENT = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('tracing helpers', () => {
  it('run the work bare while tracing is off', async () => {
    await expect(traceEventHandling(event, PARENT, delivery, () => Promise.resolve(currentTraceIds()))).resolves.toBeUndefined();
    await expect(inSpan('step stock', {}, (span) => Promise.resolve(span))).resolves.toBeUndefined();
    await expect(inSpanFrom(PARENT, 'saga resume', {}, (span) => Promise.resolve(span))).resolves.toBeUndefined();
  });

  describe('with tracing on', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    beforeAll(() => {
      provider.register();
      markTracingStarted(provider);
    });
    afterEach(() => exporter.reset());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('handle an event in a consumer span, child of the span that created it', async () => {
      await traceEventHandling(event, PARENT, delivery, () => inSpan('step payment', { 'saga.step': 'payment' }, () => Promise.resolve()));
      const [step, consumer] = exporter.getFinishedSpans();
      expect(consumer).toMatchObject({ name: 'OrderCreated process', kind: 4 });
      expect(consumer!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(consumer!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(consumer!.attributes).toMatchObject({ 'checkout.id': 'c1', 'saga.style': 'choreographed', 'messaging.consumer.group.name': 'payment' });
      expect(step!.parentSpanContext?.spanId).toBe(consumer!.spanContext().spanId);
    });

    it('start a new trace when the event carries no usable context, and still run the handler', async () => {
      await expect(traceEventHandling(event, { traceparent: 'garbage' }, delivery, () => Promise.resolve('handled'))).resolves.toBe('handled');
      const [consumer] = exporter.getFinishedSpans();
      expect(consumer!.parentSpanContext).toBeUndefined();
      expect(consumer!.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    });

    it('run work picked up later in a span child of the context stored with it, or of none when that context is garbled', async () => {
      await expect(inSpanFrom(PARENT, 'saga resume', {}, () => Promise.resolve('resumed'))).resolves.toBe('resumed');
      await expect(inSpanFrom({ traceparent: '00-garbled' }, 'saga resume', {}, () => Promise.resolve('resumed'))).resolves.toBe('resumed');
      const [continued, fresh] = exporter.getFinishedSpans();
      expect(continued!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(continued!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(fresh!.parentSpanContext).toBeUndefined();
      expect(fresh!.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    });

    it('end a failing handler’s span in error and rethrow its error as is', async () => {
      const failure = new Error('participant away');
      await expect(traceEventHandling(event, {}, delivery, () => Promise.reject(failure))).rejects.toBe(failure);
      expect(exporter.getFinishedSpans()[0]!.status).toMatchObject({ code: 2, message: 'participant away' });
    });

    it('record saga transitions as span events with their states', async () => {
      await inSpan('step stock', {}, () => Promise.resolve(recordTransition('EN_ATTENTE', 'VERIFICATION_STOCK')));
      expect(exporter.getFinishedSpans()[0]!.events).toEqual([
        expect.objectContaining({ name: 'saga.transition', attributes: { 'saga.from': 'EN_ATTENTE', 'saga.to': 'VERIFICATION_STOCK' } }),
      ]);
    });

    it('put the trace and span ids on log lines written inside a span, and none outside', async () => {
      const lines: Record<string, unknown>[] = [];
      const sink = new Writable({ write: (chunk: Buffer, _, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
      const logger = createLogger('test', 'info', sink);
      await inSpan('step stock', {}, () => Promise.resolve(logger.info('inside')));
      logger.info('outside');
      const [span] = exporter.getFinishedSpans();
      expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: span!.spanContext().traceId, span_id: span!.spanContext().spanId });
      expect(lines[1]).not.toHaveProperty('trace_id');
    });
  });
});
