// @ts-check
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts one checkout whose clock starts at `sentAt`; resolves when it is terminal (or given up).
 * @typedef {(sentAt: number) => Promise<void>} Launch
 */

/**
 * @typedef {object} Generated
 * @property {number} startedAt
 * @property {number} sent
 * @property {Promise<void>[]} inFlight every checkout launched, to await while draining
 */

/**
 * Open model: checkouts arrive at a constant rate whatever the system's answers, the i-th at
 * `start + i / rate`. Each one's latency is counted from that intended time, not from when the
 * timer got to fire, so a generator that falls behind cannot hide queueing (no coordinated omission).
 * @param {{ rate: number, seconds: number, launch: Launch }} options
 * @returns {Promise<Generated>}
 */
export async function openLoad({ rate, seconds, launch }) {
  const total = Math.max(1, Math.round(rate * seconds));
  const intervalMs = 1_000 / rate;
  const startedAt = performance.now();
  /** @type {Promise<void>[]} */
  const inFlight = [];
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    while (sent < total && startedAt + sent * intervalMs <= now) {
      inFlight.push(launch(startedAt + sent * intervalMs));
      sent += 1;
    }
    if (sent < total) await sleep(Math.max(0, startedAt + sent * intervalMs - performance.now()));
  }
  return { startedAt, sent, inFlight };
}

/**
 * Closed model: `users` clients, each sending its next checkout as soon as the previous one is
 * terminal (no think time), until `seconds` have passed; the seed's scenario with 50 users.
 * @param {{ users: number, seconds: number, launch: Launch }} options
 * @returns {Promise<Generated>}
 */
export async function closedLoad({ users, seconds, launch }) {
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1_000;
  let sent = 0;
  const user = async () => {
    while (performance.now() < endAt) {
      sent += 1;
      await launch(performance.now());
    }
  };
  const inFlight = Array.from({ length: users }, user);
  await sleep(Math.max(0, endAt - performance.now()));
  return {
    startedAt,
    get sent() {
      return sent;
    },
    inFlight,
  };
}
