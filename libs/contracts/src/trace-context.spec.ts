import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { context, propagation, trace } from '@opentelemetry/api';
import { createEnvelope } from './envelope.js';
import { traceCarrierOf } from './trace-context.js';

const confirmed = () => createEnvelope('OrderConfirmed', { checkoutId: 'c1', clientId: 'u1', orderId: 'o1' }, { correlationId: 'c1', producer: 'test' });

describe('trace context in the envelope', () => {
  it('is absent when nothing traces', () => {
    expect(confirmed()).not.toHaveProperty('traceContext');
  });

  describe('with the SDK registered', () => {
    const provider = new NodeTracerProvider();
    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('is the W3C context of the span current where the event is created', () => {
      const span = provider.getTracer('test').startSpan('handler');
      const event = context.with(trace.setSpan(context.active(), span), confirmed);
      span.end();
      const { traceId, spanId } = span.spanContext();
      expect(event.traceContext).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    });

    it('is absent outside any span', () => {
      expect(confirmed()).not.toHaveProperty('traceContext');
    });

    it.each([
      ['missing', undefined],
      ['null', null],
      ['a string', '00-abc'],
      ['a number traceparent', { traceparent: 42 }],
      ['a garbled traceparent', { traceparent: '00-zz-zz-01', tracestate: 'k=v' }],
    ])('read back from an event where it is %s, gives no parent: a new trace', (_, traceContext) => {
      const carrier = traceCarrierOf({ traceContext });
      const extracted = propagation.extract(context.active(), carrier);
      expect(trace.getSpanContext(extracted)).toBeUndefined();
    });

    it('read back from an event where it is well formed, gives the parent', () => {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const extracted = propagation.extract(context.active(), traceCarrierOf({ traceContext: { traceparent, tracestate: 'vendor=1' } }));
      expect(trace.getSpanContext(extracted)).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
    });
  });
});
