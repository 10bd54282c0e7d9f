import type { Redis } from 'ioredis';

/**
 * Removes the consumers of a group other than `ARGV[2]` that hold no pending entry and have not
 * tried to read for `ARGV[3]` ms, and returns their names. Checked and removed in one script, so a
 * consumer cannot take an entry between the check and XGROUP DELCONSUMER (which would drop that
 * entry from the group's pending list, never to be delivered again).
 */
const REMOVE_SCRIPT = `
local removed = {}
for _, info in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local consumer = {}
  for i = 1, #info, 2 do consumer[info[i]] = info[i + 1] end
  if consumer['name'] ~= ARGV[2] and tonumber(consumer['pending']) == 0 and tonumber(consumer['idle']) > tonumber(ARGV[3]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], consumer['name'])
    removed[#removed + 1] = consumer['name']
  end
end
return removed
`;

/**
 * Removes the consumers of `group` on `stream` (the key as stored) that are gone: nothing pending
 * (a dead consumer's entries are claimed first) and idle longer than `idleMs`, which must exceed
 * what a live consumer waits between two reads. Consumer names change with each process (hostname
 * and pid), so without this every restart leaves one more behind. `self` is never removed; a live
 * consumer removed all the same loses nothing and is created again by its next read.
 */
export async function removeDeadConsumers(redis: Redis, stream: string, group: string, self: string, idleMs: number): Promise<string[]> {
  return (await redis.eval(REMOVE_SCRIPT, 1, stream, group, self, idleMs)) as string[];
}
