import { randomUUID } from 'node:crypto';
import { STREAMS, deadLetterStreamOf } from '@app/contracts';
import type { Violation } from '../invariants.js';
import type { ChaosStack } from '../stack.js';
import type { Fault } from './fault.js';

const DEAD_LETTERS = deadLetterStreamOf(STREAMS.checkout);

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

interface Poison {
  kind: string;
  fields: string[];
  /** The envelope's event id, when the entry has one. */
  eventId?: string;
}

/** Entries no consumer can use, one of each kind. */
function poisons(): Poison[] {
  const unknownType = envelope('CheckoutTeleported', { checkoutId: `poison-${randomUUID()}` });
  const wrongShape = envelope('CheckoutInitiated', { checkoutId: `poison-${randomUUID()}`, clientId: 7, items: 'three apples' });
  return [
    { kind: 'unparsable entry', fields: ['event', '{"eventId": "cut short'] },
    { kind: 'not an envelope', fields: ['event', JSON.stringify({ hello: 'world' })] },
    { kind: 'no event field', fields: ['message', 'hello'] },
    { kind: 'unknown event type', fields: ['event', JSON.stringify(unknownType)], eventId: unknownType.eventId },
    { kind: 'payload of the wrong shape', fields: ['event', JSON.stringify(wrongShape)], eventId: wrongShape.eventId },
  ];
}

/** What became of a poison that was not dead-lettered: stored as an event, and what the workers published in reaction to it. */
async function fateOf(stack: ChaosStack, eventId: string | undefined): Promise<string> {
  if (eventId === undefined) return 'acknowledged without trace';
  const { rows } = await stack.sql.query<{ type: string; producer: string; caused: boolean }>(
    'SELECT type, producer, causation_id = $1 AS caused FROM event_store.events WHERE event_id = $1 OR causation_id = $1 ORDER BY global_position',
    [eventId],
  );
  const stored = rows.some((row) => !row.caused);
  const reactions = rows.filter((row) => row.caused).map((row) => `${row.type} by ${row.producer}`);
  return `${stored ? 'stored in the event store' : 'not in the event store'}; reactions: ${reactions.join(', ') || 'none'}`;
}

/** Poison among the live events: each must end on the dead-letter stream while the checkouts around it go on. */
export function poisonEvents(): Fault {
  const written: (Poison & { id: string })[] = [];
  return {
    name: 'poison-events',
    description: `${poisons()
      .map((p) => p.kind)
      .join(', ')}: one of each appended to ${STREAMS.checkout}`,
    async inject({ stack, injected }) {
      for (const poison of poisons()) {
        const id = await stack.redis.xadd(STREAMS.checkout, '*', ...poison.fields);
        if (id === null) throw new Error('XADD returned no id');
        injected.add(id);
        written.push({ ...poison, id });
      }
    },
    async verify({ stack }) {
      const letters = await stack.redis.xrange(DEAD_LETTERS, '-', '+');
      const deadLettered = new Set(letters.map(([, fields]) => fields[fields.indexOf('originalId') + 1]));
      const violations: Violation[] = [];
      for (const poison of written.filter(({ id }) => !deadLettered.has(id))) {
        const detail = `${poison.kind}: not on ${DEAD_LETTERS}, ${await fateOf(stack, poison.eventId)}`;
        violations.push({ invariant: 'poison dead-lettered', subject: `entry ${poison.id}`, detail });
      }
      return violations;
    },
  };
}
