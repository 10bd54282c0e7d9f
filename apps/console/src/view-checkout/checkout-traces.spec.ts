import { traceIdOf, traceIdsOf, traceLinksOf } from './checkout-traces.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const OTHER = '4bf92f3577b34da6a3ce929d0e0e4736';
const parent = (traceId: string, spanId = 'b7ad6b7169203331') => ({ traceparent: `00-${traceId}-${spanId}-01` });

describe('the traces of a checkout, from the traceparent of its events', () => {
  it('reads the trace id of a W3C traceparent, and none of a garbled one', () => {
    expect(traceIdOf(`00-${TRACE}-b7ad6b7169203331-01`)).toBe(TRACE);
    for (const garbled of [
      '',
      'traceparent',
      '00-not-a-trace-01',
      `00-${TRACE.toUpperCase()}-b7ad6b7169203331-01`,
      `00-${'0'.repeat(32)}-b7ad6b7169203331-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-b7ad6b7169203331-01-extra`,
      `ff-${TRACE}-b7ad6b7169203331-01`,
    ])
      expect(traceIdOf(garbled)).toBeUndefined();
  });

  it('lists each distinct trace once, in the order the events first carry it, skipping events without one or with a garbled one', () => {
    const entries = [parent(TRACE), {}, parent(TRACE, 'a1a1a1a1a1a1a1a1'), { traceparent: 'garbage' }, parent(OTHER), parent(TRACE)];
    expect(traceIdsOf(entries)).toEqual([TRACE, OTHER]);
    expect(traceIdsOf([{}, {}])).toEqual([]);
  });

  it('links each trace under the traces UI, and nowhere when that setting is empty', () => {
    expect(traceLinksOf([parent(TRACE)], 'http://localhost:16686/')).toEqual([{ traceId: TRACE, url: `http://localhost:16686/trace/${TRACE}` }]);
    expect(traceLinksOf([parent(TRACE)], 'https://jaeger.example/ui')).toEqual([{ traceId: TRACE, url: `https://jaeger.example/ui/trace/${TRACE}` }]);
    expect(traceLinksOf([parent(TRACE)], '')).toEqual([]);
    expect(traceLinksOf([{}], 'http://localhost:16686')).toEqual([]);
  });
});
