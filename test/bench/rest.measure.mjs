// @ts-check
import { setTimeout as sleep } from 'node:timers/promises';
import { LOAD_GENERATOR, cpuMsBetween, cpuSnapshot, machineBusyBetween } from './cost.measure.mjs';

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
  const before = await cpuSnapshot();
  await sleep(seconds * 1_000);
  const after = await cpuSnapshot();
  const elapsed = (after.at - before.at) / 1_000;
  const components = systemMs(before, after)
    .map(({ name, cpuMs }) => ({ name, cpuMs, coresBusy: cpuMs / 1_000 / elapsed }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const coresBusy = components.reduce((sum, c) => sum + c.coresBusy, 0);
  return { seconds: elapsed, coresBusy, share: coresBusy / cores, machineShare: machineBusyBetween(before, after), components };
}

/**
 * The CPU of the system's own processes between two snapshots, never below 0 per component.
 * @param {import('./cost.measure.mjs').CpuSnapshot} before
 * @param {import('./cost.measure.mjs').CpuSnapshot} after
 */
const systemMs = (before, after) =>
  cpuMsBetween(before, after)
    .filter((c) => c.name !== LOAD_GENERATOR)
    .map(({ name, cpuMs }) => ({ name, cpuMs: Math.max(0, cpuMs) }));

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
  let before = await cpuSnapshot();
  for (;;) {
    await sleep(QUIET_WINDOW_MS);
    const after = await cpuSnapshot();
    const busyMs = systemMs(before, after).reduce((sum, c) => sum + c.cpuMs, 0);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    if (busyMs / (after.at - before.at) / cores < QUIET_SHARE) return { seconds, quiet: true };
    if (seconds >= maxSeconds) return { seconds, quiet: false };
    before = after;
  }
}
