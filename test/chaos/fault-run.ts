import { setTimeout as hold } from 'node:timers/promises';
import type { CheckoutClient, Style } from './checkout.client.js';
import { type Convergence, converge } from './convergence.js';
import { trailOf } from './diagnosis.js';
import type { Fault, FaultContext } from './faults/fault.js';
import { type Violation, checkoutOutcomes, noEventLost, parcelPerSuccess, stockConservation } from './invariants.js';
import { Load, type StartedCheckout } from './load.js';
import { progress } from './progress.js';

/** Steady load before the first hit and between hits, so every hit finds checkouts at every step. */
const CALM_MS = 1_500;
/** Four deadlines (15 s): whatever was stuck has been compensated well before. */
const CONVERGE_TIMEOUT_MS = 60_000;

/** One row of the report. */
export interface FaultResult {
  fault: string;
  description: string;
  cycles: number;
  started: Record<Style, number>;
  /** Starts that got an id, retries with the same key included. */
  accepted: number;
  terminal: number;
  outcomes: { succeeded: number; failed: number; parked: number };
  /** Starts that needed more than one try (their first went unanswered). */
  retriedStarts: number;
  /** Starts skipped because the system had stopped answering. */
  shed: number;
  /** How long each hit took, from the injection until the system was whole again. */
  hitSeconds: number[];
  violations: Violation[];
  /** From the end of the load until every checkout was terminal and the bus drained. */
  convergeSeconds: number;
  drained: boolean;
  seconds: number;
}

export interface RunSettings {
  cycles: number;
  rate: number;
  runId: string;
  /** Numbers the checkouts of the whole run. */
  sequence: { next: number };
  /** Where the no-event-lost check stopped last, per stream. */
  eventCursors: Map<string, string>;
}

interface Hits {
  seconds: number[];
  /** Services that exited by themselves, with their last output. */
  died: { name: string; logs: string }[];
}

/** Hits the system `cycles` times under the load, each after a calm spell; stops the load after the last. */
async function hitRepeatedly(fault: Fault, context: FaultContext, load: Load, cycles: number): Promise<Hits> {
  const hits: Hits = { seconds: [], died: [] };
  await fault.setup?.(context);
  load.start();
  try {
    for (let cycle = 0; cycle < cycles; cycle += 1) {
      await hold(CALM_MS);
      const begun = Date.now();
      await fault.inject(context, cycle);
      hits.seconds.push((Date.now() - begun) / 1_000);
      // As a supervisor would: a service that crashed is counted, then started again so the next hits find a whole system.
      hits.died.push(...(await context.stack.reviveDead()));
      progress(`${fault.name}: hit ${cycle + 1}/${cycles} healed in ${hits.seconds.at(-1)!.toFixed(1)} s, ${load.checkouts.length} checkouts started`);
    }
    await hold(CALM_MS);
  } finally {
    await load.stop();
    await fault.teardown?.(context);
  }
  hits.died.push(...(await context.stack.reviveDead()));
  return hits;
}

/** Every invariant, once the system converged (or the wait for it ended). */
async function violationsAfter(
  fault: Fault,
  context: FaultContext,
  convergence: Convergence,
  hits: Hits,
  load: Load,
  settings: RunSettings,
): Promise<Violation[]> {
  const { stack } = context;
  const stuck = await Promise.all(
    convergence.stuck.map(async (c): Promise<Violation> => {
      const trail = await trailOf(stack.sql, stack.bus, c.style, c.id!);
      return { invariant: 'terminal', subject: `${c.style} ${c.id}`, detail: `not terminal ${CONVERGE_TIMEOUT_MS / 1_000} s after the load (${trail})` };
    }),
  );
  return [
    ...stuck,
    ...convergence.undrained.map((detail): Violation => ({ invariant: 'bus drained', subject: 'consumer group', detail })),
    ...hits.died.map(({ name, logs }): Violation => ({ invariant: 'services stay up', subject: name, detail: `exited by itself; last output: ${logs}` })),
    ...(await stockConservation(stack.sql)),
    ...(await checkoutOutcomes(stack.sql, load.checkouts)),
    ...(await noEventLost(stack.sql, stack.bus, settings.eventCursors, context.injected)),
    ...(await parcelPerSuccess(stack.sql)),
    ...((await fault.verify?.(context)) ?? []),
  ];
}

/** Load on, `cycles` hits of the fault, load off, convergence, then every invariant. */
export async function runFault(fault: Fault, context: FaultContext, client: CheckoutClient, settings: RunSettings): Promise<FaultResult> {
  const begun = Date.now();
  const load = new Load(client, settings.rate, `${settings.runId}-${fault.name}`, settings.sequence);
  const hits = await hitRepeatedly(fault, context, load, settings.cycles);
  const { checkouts } = load;
  progress(`${fault.name}: load stopped, waiting for ${checkouts.length} checkouts to end`);
  const convergence = await converge(client, context.stack.bus, checkouts, CONVERGE_TIMEOUT_MS);
  progress(`${fault.name}: converged in ${convergence.seconds.toFixed(1)} s, checking the invariants`);
  const violations = await violationsAfter(fault, context, convergence, hits, load, settings);
  const count = (predicate: (c: StartedCheckout) => boolean) => checkouts.filter(predicate).length;
  return {
    fault: fault.name,
    description: fault.description,
    cycles: settings.cycles,
    started: { orchestrated: count((c) => c.style === 'orchestrated'), choreographed: count((c) => c.style === 'choreographed') },
    accepted: count((c) => c.id !== undefined),
    terminal: convergence.terminal,
    outcomes: {
      succeeded: count((c) => c.outcome === 'succeeded'),
      failed: count((c) => c.outcome === 'failed'),
      parked: count((c) => c.outcome === 'parked'),
    },
    retriedStarts: count((c) => c.attempts > 1),
    shed: load.shed,
    hitSeconds: hits.seconds,
    violations,
    convergeSeconds: convergence.seconds,
    drained: convergence.drained,
    seconds: (Date.now() - begun) / 1_000,
  };
}
