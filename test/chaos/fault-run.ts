import { setTimeout as hold } from 'node:timers/promises';
import type { CheckoutClient, Style } from './checkout.client.js';
import { converge } from './convergence.js';
import type { Fault, FaultContext } from './faults/fault.js';
import { type Violation, checkoutOutcomes, noEventLost, stockConservation } from './invariants.js';
import { Load } from './load.js';

/** Steady load before the first hit and between hits, so every hit finds checkouts at every step. */
const CALM_MS = 1_500;
/** Longer than a deadline (15 s) plus a scan and a claim: whatever was stuck has been compensated by then. */
const CONVERGE_TIMEOUT_MS = 90_000;

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

/** Load on, `cycles` hits of the fault, load off, convergence, then every invariant. */
export async function runFault(fault: Fault, context: FaultContext, client: CheckoutClient, settings: RunSettings): Promise<FaultResult> {
  const begun = Date.now();
  const { stack } = context;
  await fault.setup?.(context);
  const load = new Load(client, settings.rate, `${settings.runId}-${fault.name}`, settings.sequence);
  load.start();
  try {
    for (let cycle = 0; cycle < settings.cycles; cycle += 1) {
      await hold(CALM_MS);
      await fault.inject(context, cycle);
    }
    await hold(CALM_MS);
  } finally {
    await load.stop();
    await fault.teardown?.(context);
  }
  const { checkouts } = load;
  const convergence = await converge(client, stack.redis, checkouts, CONVERGE_TIMEOUT_MS);
  const violations = [
    ...convergence.stuck.map((c): Violation => ({ invariant: 'terminal', subject: `${c.style} ${c.id}`, detail: `not terminal ${CONVERGE_TIMEOUT_MS / 1_000} s after the load` })),
    ...(convergence.drained ? [] : [{ invariant: 'bus drained', subject: 'consumer groups', detail: 'entries left unread or pending' }]),
    ...(await stockConservation(stack.sql)),
    ...(await checkoutOutcomes(stack.sql, checkouts)),
    ...(await noEventLost(stack.sql, stack.redis, settings.eventCursors, context.injected)),
    ...((await fault.verify?.(context)) ?? []),
  ];
  const count = (predicate: (c: (typeof checkouts)[number]) => boolean) => checkouts.filter(predicate).length;
  return {
    fault: fault.name,
    description: fault.description,
    cycles: settings.cycles,
    started: { orchestrated: count((c) => c.style === 'orchestrated'), choreographed: count((c) => c.style === 'choreographed') },
    accepted: count((c) => c.id !== undefined),
    terminal: convergence.terminal,
    outcomes: { succeeded: count((c) => c.outcome === 'succeeded'), failed: count((c) => c.outcome === 'failed'), parked: count((c) => c.outcome === 'parked') },
    retriedStarts: count((c) => c.attempts > 1),
    shed: load.shed,
    violations,
    convergeSeconds: convergence.seconds,
    drained: convergence.drained,
    seconds: (Date.now() - begun) / 1_000,
  };
}
