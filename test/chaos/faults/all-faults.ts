import { cutPostgres } from './cut-postgres.fault.js';
import { duplicateEvents } from './duplicate-events.fault.js';
import type { Fault } from './fault.js';
import { killOrchestrator } from './kill-orchestrator.fault.js';
import { killNatsNode } from './kill-nats-node.fault.js';
import { killParticipants } from './kill-participants.fault.js';
import { killWorkers } from './kill-workers.fault.js';
import { participantFaults } from './participant-faults.fault.js';
import { pauseWorkers } from './pause-workers.fault.js';
import { poisonEvents } from './poison-events.fault.js';
import { restartRedis } from './restart-redis.fault.js';

/**
 * Every fault of the suite for a bus, in the order a run injects them. On NATS the bus fault is the
 * loss of a cluster node; the faults that write Redis streams behind the apps' backs (a Redis
 * restart, duplicated and poison entries) are Redis-only.
 */
export function allFaults(bus: 'redis-streams' | 'nats' = 'redis-streams'): Fault[] {
  if (bus === 'nats') return [killOrchestrator, killWorkers, killParticipants, pauseWorkers(), killNatsNode, cutPostgres, participantFaults];
  return [killOrchestrator, killWorkers, killParticipants, pauseWorkers(), restartRedis, cutPostgres, participantFaults, duplicateEvents, poisonEvents()];
}

/** The faults named (all of the bus when none is), refusing a name that is not one. */
export function selectFaults(names: readonly string[] | undefined, bus: 'redis-streams' | 'nats' = 'redis-streams'): Fault[] {
  const faults = allFaults(bus);
  if (names === undefined) return faults;
  const unknown = names.filter((name) => !faults.some((fault) => fault.name === name));
  if (unknown.length > 0) throw new Error(`Unknown fault(s) ${unknown.join(', ')}; known: ${faults.map((f) => f.name).join(', ')}`);
  return faults.filter((fault) => names.includes(fault.name));
}
