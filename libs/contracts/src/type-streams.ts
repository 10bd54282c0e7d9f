import { EVENT_TYPES, type EventType, STREAM_OF } from './event-map.js';
import { deadLetterStreamOf } from './streams.js';

/**
 * The event types that workers subscribe to one by one (`@OnEvent`). On Redis, each event of these
 * types is appended twice, in one MULTI: to its stream, which the readers of every event (audit,
 * projections, the deadline watch, the checkout app's status) read in order, and to a stream of its
 * own type, {@link typeStreamOf}, which is all a worker of that type reads. A worker is then woken
 * only by the events it handles, instead of by every event of the checkout (ADR 0019). JetStream
 * filters by subject on the server and needs no copy.
 *
 * A type missing here still works: its workers read the whole stream and skip the rest, as every
 * worker did before. `type-streams.spec.ts` checks that every `@OnEvent` type of the apps is here.
 */
export const TYPE_STREAM_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'CheckoutInitiated',
  'StockReserved',
  'OrderCreated',
  'OrderCreationFailed',
  'PaymentAuthorized',
  'PaymentFailed',
  'OrderCancelled',
  'CheckoutSucceeded',
  'CheckoutFailed',
]);

/** The stream of one event type's copies: `<stream>.<Type>`, e.g. `ecommerce.checkout.events.StockReserved`. */
export const typeStreamOf = (type: EventType): string => `${STREAM_OF[type]}.${type}`;

/** Every type stream, with the stream whose events it copies. */
export const TYPE_STREAMS: ReadonlyMap<string, string> = new Map(
  EVENT_TYPES.filter((type) => TYPE_STREAM_TYPES.has(type)).map((type) => [typeStreamOf(type), STREAM_OF[type]]),
);

/** The streams an event of `type` is appended to: its stream, then its type stream when it has one. */
export const appendStreamsOf = (type: EventType): string[] => (TYPE_STREAM_TYPES.has(type) ? [STREAM_OF[type], typeStreamOf(type)] : [STREAM_OF[type]]);

/** The stream whose events `stream` holds: itself, or for a type stream the stream it copies. */
export const eventStreamOf = (stream: string): string => TYPE_STREAMS.get(stream) ?? stream;

/**
 * Where the consumers of `stream` put what they give up on: the dead-letter stream of the stream
 * whose events it holds, so a stream's dead letters are in one place whichever copy a group read.
 * Each letter names the stream it was read from, and a redrive appends it there again.
 */
export const deadLetterStreamFor = (stream: string): string => deadLetterStreamOf(eventStreamOf(stream));
