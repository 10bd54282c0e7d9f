import type { Redis } from 'ioredis';
import { streamGroupStats } from './stream-group.stats.js';
import type { TrimPolicy } from './redis-streams.options.js';
import { safeTrimId } from './trim.policy.js';

/** Entries removed at most per run, so that a first run on an overgrown stream stays short. */
const MAX_REMOVED_PER_RUN = 10_000;

/**
 * MAXLEN and MINID in one atomic step: find the id `maxLen` entries from the end, but never beyond
 * the group-safe bound (ARGV[2], exclusive), then `XTRIM MINID` just past it. Done in Lua so the
 * entries looked at never travel to the client.
 */
const TRIM_SCRIPT = `
local excess = redis.call('XLEN', KEYS[1]) - tonumber(ARGV[1])
if excess <= 0 then return 0 end
if excess > tonumber(ARGV[3]) then excess = tonumber(ARGV[3]) end
local doomed = redis.call('XRANGE', KEYS[1], '-', ARGV[2], 'COUNT', excess)
if #doomed == 0 then return 0 end
local ms, seq = string.match(doomed[#doomed][1], '^(%d+)-(%d+)$')
local threshold = ms .. '-' .. string.format('%d', tonumber(seq) + 1)
if ARGV[4] == '1' then
  return redis.call('XTRIM', KEYS[1], 'MINID', '~', threshold)
end
return redis.call('XTRIM', KEYS[1], 'MINID', threshold)
`;

/**
 * Trims `stream` (the key as stored) to about `policy.maxLen` entries without removing any entry a
 * consumer group has not read and acknowledged: the bound comes from every group's last delivered
 * id and oldest pending id. Entries are never deleted one by one after an ack (XDEL), which would
 * take them from groups that have not read them yet. Returns the number of entries removed.
 */
export async function trimStream(redis: Redis, stream: string, policy: TrimPolicy): Promise<number> {
  const groups = await streamGroupStats(redis, stream);
  const safeId = safeTrimId(groups);
  const upperBound = safeId === null ? '+' : `(${safeId}`;
  const removed = await redis.eval(TRIM_SCRIPT, 1, stream, policy.maxLen, upperBound, MAX_REMOVED_PER_RUN, policy.approximate === false ? '0' : '1');
  return Number(removed);
}
