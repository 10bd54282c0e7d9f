import { STREAMS, appendStreamsOf } from '@app/contracts';
import { decodeEntry } from '@app/redis-streams';
import type { Fault } from './fault.js';

const RECENT = 40;

/**
 * The bus delivers again, and out of order: the latest envelopes of the checkout stream are
 * appended once more as they were, then once more newest first (each also to its type stream, as a
 * publisher appends it, so the workers of its type get it again too). Every consumer must see through
 * it: no second effect, no second terminal state, the same event ids.
 */
export const duplicateEvents: Fault = {
  name: 'duplicate-events',
  description: `the last ${RECENT} envelopes of ${STREAMS.checkout} appended again in order, then again in reverse order`,
  async inject({ stack, injected }) {
    const newestFirst = (await stack.redis.xrevrange(STREAMS.checkout, '+', '-', 'COUNT', RECENT)).flatMap(([id, fields]) => {
      const decoded = decodeEntry(fields);
      return !injected.has(id) && decoded.kind === 'event' ? [{ fields, streams: appendStreamsOf(decoded.envelope.type) }] : [];
    });
    const pipeline = stack.redis.pipeline();
    const inOrder = [...newestFirst].reverse();
    for (const { fields, streams } of [...inOrder, ...newestFirst]) {
      for (const stream of streams) pipeline.xadd(stream, '*', ...fields);
    }
    const failure = ((await pipeline.exec()) ?? []).find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
  },
};
