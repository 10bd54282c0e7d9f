import { randomUUID } from 'node:crypto';
import { STREAMS, deadLetterStreamOf } from '@app/contracts';
import type { Violation } from '../invariants.js';
import type { Fault } from './fault.js';

const envelope = (type: string, payload: unknown) => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: `poison-${randomUUID()}`,
  causationId: null,
  producer: 'chaos',
  payload,
});

/** Entries no consumer can use, one of each kind, by what they are. */
const poisons = (): Record<string, string[]> => ({
  'unparsable entry': ['event', '{"eventId": "cut short'],
  'not an envelope': ['event', JSON.stringify({ hello: 'world' })],
  'no event field': ['message', 'hello'],
  'unknown event type': ['event', JSON.stringify(envelope('CheckoutTeleported', { checkoutId: `poison-${randomUUID()}` }))],
  'payload of the wrong shape': ['event', JSON.stringify(envelope('CheckoutInitiated', { checkoutId: `poison-${randomUUID()}`, clientId: 7, items: 'three apples' }))],
});

/** Poison among the live events: each must end on the dead-letter stream while the checkouts around it go on. */
export function poisonEvents(): Fault {
  const written: { id: string; kind: string }[] = [];
  return {
  name: 'poison-events',
  description: `${Object.keys(poisons()).join(', ')}: one of each appended to ${STREAMS.checkout}`,
  async inject({ stack, injected }) {
    for (const [kind, fields] of Object.entries(poisons())) {
      const id = await stack.redis.xadd(STREAMS.checkout, '*', ...fields);
      if (id === null) throw new Error('XADD returned no id');
      injected.add(id);
      written.push({ id, kind });
    }
  },
  async verify({ stack }) {
    const letters = await stack.redis.xrange(deadLetterStreamOf(STREAMS.checkout), '-', '+');
    const deadLettered = new Set(letters.map(([, fields]) => fields[fields.indexOf('originalId') + 1]));
    return written
      .filter(({ id }) => !deadLettered.has(id))
      .map(({ id, kind }): Violation => ({ invariant: 'poison dead-lettered', subject: `entry ${id}`, detail: `${kind}: not on ${deadLetterStreamOf(STREAMS.checkout)}` }));
  },
  };
}
