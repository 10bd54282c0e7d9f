import type { BusProbe } from './bus-probe.js';
import type { CheckoutClient } from './checkout.client.js';
import type { StartedCheckout } from './load.js';

export interface Convergence {
  /** Accepted checkouts that reached a terminal state (a parked saga counts: it is terminal, and a violation). */
  terminal: number;
  /** Accepted checkouts still running at the deadline. */
  stuck: StartedCheckout[];
  /** Whether every consumer group read and settled every entry of every stream by the deadline. */
  drained: boolean;
  /** The groups that had not, at the deadline. */
  undrained: string[];
  /** From the end of the load until both held (or the deadline). */
  seconds: number;
}

const POLL_MS = 250;
const CONCURRENCY = 16;

/** Asks for the outcome of each checkout not known to be terminal yet, a few at a time; records those that are. */
async function pollOutcomes(client: CheckoutClient, open: StartedCheckout[]): Promise<void> {
  for (let i = 0; i < open.length; i += CONCURRENCY) {
    await Promise.all(
      open.slice(i, i + CONCURRENCY).map(async (checkout) => {
        const outcome = await client.outcomeOf(checkout.style, checkout.id!);
        if (outcome !== undefined) checkout.outcome = outcome;
      }),
    );
  }
}

/**
 * Waits, after the load stopped, until every accepted checkout is terminal (asked through the
 * style's own status endpoint) and the bus is drained, so that what the invariants read is final.
 */
export async function converge(client: CheckoutClient, bus: BusProbe, checkouts: readonly StartedCheckout[], timeoutMs: number): Promise<Convergence> {
  const begun = Date.now();
  const deadline = begun + timeoutMs;
  const accepted = checkouts.filter((c) => c.id !== undefined);
  let open = accepted.filter((c) => c.outcome === undefined);
  let undrained = ['not looked at yet'];
  while (Date.now() < deadline) {
    await pollOutcomes(client, open);
    open = open.filter((c) => c.outcome === undefined);
    undrained = await bus.undrainedGroups();
    if (open.length === 0 && undrained.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { terminal: accepted.length - open.length, stuck: open, drained: undrained.length === 0, undrained, seconds: (Date.now() - begun) / 1_000 };
}
