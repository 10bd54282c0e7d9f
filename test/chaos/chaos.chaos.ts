import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BOOT_TIMEOUT_MS, ROOT } from '@app/testing';
import { chaosOptionsOf } from './chaos.options.js';
import { CheckoutClient } from './checkout.client.js';
import { type FaultResult, type RunSettings, runFault } from './fault-run.js';
import { selectFaults } from './faults/all-faults.js';
import type { FaultContext } from './faults/fault.js';
import { reportOf, tableOf, writeReport } from './report.js';
import { ChaosStack } from './stack.js';

const options = chaosOptionsOf(process.env);
const faults = selectFaults(options.faults, options.bus);
/** A cycle takes a few seconds; the rest is convergence (at most 90 s) and the checks. */
const FAULT_TIMEOUT_MS = options.cycles * 15_000 + 180_000;

/**
 * `npm run chaos`: the whole system under a steady load of both checkout styles, each fault
 * injected CHAOS_CYCLES times, then every invariant of the architecture page checked. Fails on any
 * violation or any checkout left without a terminal state; writes the table to reports/chaos/.
 */
describe('chaos', () => {
  let stack: ChaosStack;
  let client: CheckoutClient;
  let context: FaultContext;
  const results: FaultResult[] = [];
  const settings: RunSettings = {
    cycles: options.cycles,
    rate: options.rate,
    runId: `chaos-${randomBytes(3).toString('hex')}`,
    sequence: { next: 0 },
    eventCursors: new Map(),
  };

  beforeAll(async () => {
    stack = await ChaosStack.start(options.bus);
    client = new CheckoutClient({ orchestrator: stack.app('saga-orchestrator').url, checkout: stack.app('checkout').url });
    context = { stack, injected: new Set() };
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    if (results.length > 0) {
      const folder = await writeReport(join(ROOT, options.outDir), reportOf({ cycles: options.cycles, rate: options.rate, bus: options.bus }, results));
      process.stdout.write(`\n${tableOf(results)}\n\nReport: ${folder}\n`);
    }
    await client?.close();
    await stack?.stop();
  }, 60_000);

  it.each(faults.map((fault) => [fault.name, fault]))(
    '%s: every checkout terminal, every invariant holding',
    async (_name, fault) => {
      const result = await runFault(fault, context, client, settings);
      results.push(result);
      process.stdout.write(`${tableOf([result])}\n`);
      expect(result.violations).toEqual([]);
      expect(result.terminal).toBe(result.started.orchestrated + result.started.choreographed);
    },
    FAULT_TIMEOUT_MS,
  );
});
