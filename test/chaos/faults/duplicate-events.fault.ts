import { STREAMS } from '@app/contracts';
import { decodeEntry } from '@app/redis-streams';
import type { Fault } from './fault.js';

const RECENT = 40;

/**
 * The bus delivers again, and out of order: the latest envelopes of the checkout stream are
 * appended once more as they were, then once more newest first. Every consumer must see through
 * it: no second effect, no second terminal state, the same event ids.
 */
export const duplicateEvents: Fault = {
  name: 'duplicate-events',
  description: `the last ${RECENT} envelopes of ${STREAMS.checkout} appended again in order, then again in reverse order`,
  async inject({ stack, injected }) {
    const newestFirst = (await stack.redis.xrevrange(STREAMS.checkout, '+', '-', 'COUNT', RECENT)).filter(
      ([id, fields]) => !injected.has(id) && decodeEntry(fields).kind === 'event',
    );
    const pipeline = stack.redis.pipeline();
    for (const [, fields] of [...newestFirst].reverse()) pipeline.xadd(STREAMS.checkout, '*', ...fields);
    for (const [, fields] of newestFirst) pipeline.xadd(STREAMS.checkout, '*', ...fields);
    const failure = ((await pipeline.exec()) ?? []).find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
  },
};
