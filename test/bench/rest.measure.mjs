// @ts-check
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK_TICKS, cpuTicksByComponent, machineTicks } from './cost.measure.mjs';

/**
 * @typedef {object} RestReport
 * @property {number} seconds how long the system was watched with no traffic
 * @property {number} coresBusy cores the system's processes kept busy (CPU seconds per second)
 * @property {number} share of all the machine's cores
 * @property {number} machineShare of all the machine's cores, every process of the machine (other tenants included)
 * @property {{ name: string, cpuMs: number, coresBusy: number }[]} components
 */

/**
 * The system's CPU at rest: what its processes (the same ones the cost step counts) spend over
 * `seconds` with no traffic at all, read from /proc like the cost step. Read pauses, relay sweeps,
 * heartbeats and other timers all show up here, since nothing else runs.
 * @param {{ seconds: number, cores: number }} options
 * @returns {Promise<RestReport>}
 */
export async function measureRest({ seconds, cores }) {
  const [ticksBefore, machineBefore] = [await cpuTicksByComponent(), await machineTicks()];
  const started = Date.now();
  await sleep(seconds * 1_000);
  const [ticksAfter, machineAfter] = [await cpuTicksByComponent(), await machineTicks()];
  const elapsed = (Date.now() - started) / 1_000;
  const components = [...ticksAfter]
    .filter(([name]) => name !== 'load generator (bench)')
    .map(([name, ticks]) => {
      // A process of the component that exited meanwhile takes its earlier ticks with it: never below 0.
      const cpuMs = Math.max(0, ((ticks - (ticksBefore.get(name) ?? 0)) * 1_000) / CLOCK_TICKS);
      return { name, cpuMs, coresBusy: cpuMs / 1_000 / elapsed };
    })
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const coresBusy = components.reduce((sum, c) => sum + c.coresBusy, 0);
  const machineTotal = machineAfter.total - machineBefore.total;
  return {
    seconds: elapsed,
    coresBusy,
    share: coresBusy / cores,
    machineShare: machineTotal === 0 ? 0 : (machineAfter.busy - machineBefore.busy) / machineTotal,
    components,
  };
}

/** The system counts as quiet below this share of the cores busy (at rest it keeps under 2%). */
export const QUIET_SHARE = 0.1;
/** How long each look at the system's CPU lasts while waiting for it to be quiet. */
const QUIET_WINDOW_MS = 1_000;

/**
 * Waits until the system's processes keep under {@link QUIET_SHARE} of the cores busy over a second,
 * or `maxSeconds` passed. A step leaves work for later: the simulated carrier moves each parcel a
 * few seconds after its last move, and the consumers catch up on what a step published; without
 * this wait that work would land in the next step's measure.
 * @param {{ cores: number, maxSeconds: number }} options
 * @returns {Promise<{ seconds: number, quiet: boolean }>}
 */
export async function untilQuiet({ cores, maxSeconds }) {
  const started = Date.now();
  let before = await cpuTicksByComponent();
  for (;;) {
    const windowStart = Date.now();
    await sleep(QUIET_WINDOW_MS);
    const after = await cpuTicksByComponent();
    const elapsedMs = Date.now() - windowStart;
    let busyMs = 0;
    for (const [name, ticks] of after) {
      if (name !== 'load generator (bench)') busyMs += Math.max(0, ((ticks - (before.get(name) ?? 0)) * 1_000) / CLOCK_TICKS);
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    if (busyMs / elapsedMs / cores < QUIET_SHARE) return { seconds, quiet: true };
    if (seconds >= maxSeconds) return { seconds, quiet: false };
    before = after;
  }
}
