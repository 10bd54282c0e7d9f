// @ts-check
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { waitForHealth } from '../../scripts/seed-demo.mjs';
import { builtApps } from '../../scripts/system.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The whole system as `npm start` runs it (`node scripts/start.mjs`, from dist/), with `env` added to
 * the environment: started in a process group of its own, so that stopping it stops every app.
 * @typedef {object} RunningSystem
 * @property {() => string} output the start script's last lines (for an error message)
 * @property {() => Promise<void>} stop
 */

/**
 * Sends `sig` to a process group; false when no process of it is left.
 * @param {number} group negative: a process group id
 * @param {NodeJS.Signals | 0} sig
 */
function signal(group, sig) {
  try {
    process.kill(group, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the system and resolves once every app answers /health.
 * @param {Record<string, string>} env
 * @param {{ bootTimeoutMs?: number }} [options]
 * @returns {Promise<RunningSystem>}
 */
export async function startSystem(env, { bootTimeoutMs = 120_000 } = {}) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {string[]} */
  let lines = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    lines = [...lines, ...chunk.toString('utf8').split('\n')].slice(-40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const system = {
    output: () => lines.join('\n'),
    async stop() {
      const group = -(child.pid ?? 0);
      signal(group, 'SIGTERM');
      // The apps drain before they exit; the start script itself goes at once. Wait for the whole group.
      const deadline = Date.now() + 20_000;
      while (signal(group, 0)) {
        if (Date.now() > deadline) signal(group, 'SIGKILL');
        await sleep(200);
      }
      await exited;
    },
  };
  try {
    await Promise.race([
      waitForHealth(builtApps(), bootTimeoutMs),
      exited.then((code) => {
        throw new Error(`The system exited while starting (code ${code})`);
      }),
    ]);
  } catch (error) {
    await system.stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${system.output()}`);
  }
  return system;
}
