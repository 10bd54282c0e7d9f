import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STREAMS } from './streams.js';
import { TYPE_STREAMS, TYPE_STREAM_TYPES, appendStreamsOf, deadLetterStreamFor, eventStreamOf, typeStreamOf } from './type-streams.js';

const APPS = join(import.meta.dirname, '../../../apps');

/** Every `@OnEvent('Type')` of the apps' own code (tests left out). */
async function typesWorkersTake(): Promise<Set<string>> {
  const files = (await readdir(APPS, { recursive: true })).filter((file) => file.endsWith('.ts') && !/\.(e2e-|int-)?spec\.ts$/.test(file));
  const types = new Set<string>();
  for (const file of files) {
    for (const [, type] of (await readFile(join(APPS, file), 'utf8')).matchAll(/@OnEvent\('(\w+)'\)/g)) types.add(type!);
  }
  return types;
}

describe('type streams', () => {
  it('exist for exactly the types some worker takes one by one: none is missed, none fills up unread', async () => {
    const taken = await typesWorkersTake();
    expect(taken.size).toBeGreaterThan(5);
    expect([...TYPE_STREAM_TYPES].sort()).toEqual([...taken].sort());
  });

  it('copy an event of such a type next to its stream, and lead back to that stream', () => {
    expect(appendStreamsOf('StockReserved')).toEqual([STREAMS.checkout, `${STREAMS.checkout}.StockReserved`]);
    expect(appendStreamsOf('OrderConfirmed')).toEqual([STREAMS.checkout]);
    expect(appendStreamsOf('SagaTransitioned')).toEqual([STREAMS.saga]);
    expect(typeStreamOf('StockReserved')).toBe(`${STREAMS.checkout}.StockReserved`);
    for (const [typeStream, stream] of TYPE_STREAMS) {
      expect(eventStreamOf(typeStream)).toBe(stream);
      expect(deadLetterStreamFor(typeStream)).toBe(`${stream}.dlq`);
    }
    expect(eventStreamOf(STREAMS.carts)).toBe(STREAMS.carts);
    expect(deadLetterStreamFor(STREAMS.checkout)).toBe(`${STREAMS.checkout}.dlq`);
  });
});
