// @ts-check
import { execFileSync } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * @typedef {object} ComponentCost
 * @property {string} name an app of the system, `postgres`, `redis` or `load generator (bench)`
 * @property {number} cpuMs CPU time (user + system) spent over the window
 * @property {number} msPerCheckout
 */

/**
 * @typedef {object} StatementCost
 * @property {string} query
 * @property {number} callsPerCheckout
 * @property {number} msPerCheckout execution plus planning time
 * @property {number} meanMs
 */

/**
 * @typedef {object} StatementsCost
 * @property {string | null} unavailable why pg_stat_statements could not be read, or null
 * @property {number} statementsPerCheckout
 * @property {number} msPerCheckout
 * @property {StatementCost[]} top
 */

/**
 * @typedef {object} CostReport
 * @property {number} checkouts sent in the window
 * @property {number} seconds
 * @property {number} machineBusyShare share of both cores busy over the window (all processes)
 * @property {number} totalMsPerCheckout CPU of the system's processes per checkout
 * @property {ComponentCost[]} components
 * @property {StatementsCost} statements
 */

export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const APP_PATH = /dist\/apps\/([^/]+)\/src\/main\.js/;

/** The component the bench itself is: listed beside the system's processes, never counted as the system's. */
export const LOAD_GENERATOR = 'load generator (bench)';

/**
 * Which component a process is, from its command line; undefined for processes of no interest.
 * @param {string} cmdline
 * @param {number} pid
 */
function componentOf(cmdline, pid) {
  if (pid === process.pid) return LOAD_GENERATOR;
  const app = APP_PATH.exec(cmdline)?.[1];
  if (app !== undefined) return app;
  // Backends and auxiliaries name themselves `postgres: …`; the postmaster runs as `…/bin/postgres -D …`.
  if (/^(\S*\/)?postgres(:|\s|$)/.test(cmdline)) return 'postgres';
  if (/redis-server/.test(cmdline)) return 'redis';
  return undefined;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/**
 * The working directory of a process, or undefined when it cannot be read.
 * @param {string} pid
 */
const cwdOf = (pid) => readlink(`/proc/${pid}/cwd`).catch(() => undefined);

/**
 * CPU ticks per component, children reaped included: PostgreSQL's postmaster reaps its backends,
 * so the time of a backend that exits during the window moves into its `cutime` and still counts.
 * @returns {Promise<Map<string, number>>}
 */
export async function cpuTicksByComponent() {
  /** @type {Map<string, number>} */
  const ticks = new Map();
  /** @type {Map<string, number>} */
  const elsewhere = new Map();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim();
      const name = componentOf(cmdline, Number(entry));
      if (name === undefined) continue;
      // Apps started from another checkout on a shared machine (other test runs) are not this system.
      const into = APP_PATH.test(cmdline) && (await cwdOf(entry)) !== ROOT ? elsewhere : ticks;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name: state is field 3, utime..cstime are fields 14..17.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const used = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
      into.set(name, (into.get(name) ?? 0) + used);
    } catch {
      // The process ended between listing and reading.
    }
  }
  // No app runs from this checkout: the system was started from another one, so count those.
  const ownApps = [...ticks.keys()].some((name) => !['postgres', 'redis', LOAD_GENERATOR].includes(name));
  if (!ownApps) for (const [name, used] of elsewhere) ticks.set(name, used);
  return ticks;
}

/** Busy and total ticks of the whole machine, from /proc/stat. */
export async function machineTicks() {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * The CPU ticks of the system's processes and of the whole machine now, to measure a step with {@link cpuSince}.
 * @typedef {{ ticks: Map<string, number>, machine: { busy: number, total: number }, at: number }} CpuSnapshot
 * @returns {Promise<CpuSnapshot>}
 */
export async function cpuSnapshot() {
  return { ticks: await cpuTicksByComponent(), machine: await machineTicks(), at: Date.now() };
}

/**
 * The CPU spent since `before`, per process and per checkout of the `sent` checkouts: the system's
 * processes (the load generator is listed but not counted) and the share of the machine kept busy.
 * @param {CpuSnapshot} before
 * @param {number} sent
 * @returns {Promise<Omit<CostReport, 'checkouts' | 'statements'>>}
 */
export async function cpuSince(before, sent) {
  const after = await cpuSnapshot();
  const checkouts = Math.max(1, sent);
  const components = cpuMsBetween(before, after)
    .map(({ name, cpuMs }) => ({ name, cpuMs, msPerCheckout: cpuMs / checkouts }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
  const system = components.filter((c) => c.name !== LOAD_GENERATOR);
  return {
    seconds: (after.at - before.at) / 1_000,
    machineBusyShare: machineBusyBetween(before, after),
    totalMsPerCheckout: system.reduce((a, c) => a + c.msPerCheckout, 0),
    components,
  };
}

/**
 * The CPU each component spent between two snapshots, in ms (the load generator included). A
 * process of a component that exited meanwhile takes its earlier ticks with it, so a delta can be
 * below 0; the measures of a quiet system (at rest, settling) clamp it.
 * @param {CpuSnapshot} before
 * @param {CpuSnapshot} after
 * @returns {{ name: string, cpuMs: number }[]}
 */
export function cpuMsBetween(before, after) {
  return [...after.ticks].map(([name, ticks]) => ({ name, cpuMs: ((ticks - (before.ticks.get(name) ?? 0)) * 1_000) / CLOCK_TICKS }));
}

/**
 * The share of the whole machine's CPU (every process, other tenants included) busy between two snapshots.
 * @param {CpuSnapshot} before
 * @param {CpuSnapshot} after
 */
export function machineBusyBetween(before, after) {
  const total = after.machine.total - before.machine.total;
  return total === 0 ? 0 : (after.machine.busy - before.machine.busy) / total;
}

/**
 * @typedef {{ queryid: string, query: string, calls: number, ms: number }} StatementRow
 * @param {pg.Client} client
 * @returns {Promise<Map<string, StatementRow>>}
 */
async function statementSnapshot(client) {
  const { rows } = await client.query(
    // The system's database only: tests or other systems on the same server are not its cost.
    `SELECT queryid::text AS queryid, query, calls::float8 AS calls, (total_exec_time + total_plan_time)::float8 AS ms FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return new Map(rows.map((r) => [r.queryid, r]));
}

/**
 * Opens a client and takes the first snapshot of pg_stat_statements, or says why it cannot.
 * @param {string} databaseUrl
 */
async function openStatements(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return { client, before: await statementSnapshot(client), unavailable: null };
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    return { client: null, before: new Map(), unavailable: `pg_stat_statements could not be read (${reason})` };
  }
}

/**
 * What each statement ran between two snapshots.
 * @param {Map<string, StatementRow>} before
 * @param {Map<string, StatementRow>} after
 * @returns {{ query: string, calls: number, ms: number }[]}
 */
function statementDeltas(before, after) {
  return [...after.values()]
    .map((row) => {
      const was = before.get(row.queryid);
      return { query: row.query, calls: row.calls - (was?.calls ?? 0), ms: row.ms - (was?.ms ?? 0) };
    })
    .filter((d) => d.calls > 0 && !/pg_stat_statements/.test(d.query));
}

/**
 * @param {{ query: string, calls: number, ms: number }[]} deltas
 * @param {number} checkouts
 * @returns {StatementsCost}
 */
function statementsCost(deltas, checkouts) {
  const calls = deltas.reduce((a, d) => a + d.calls, 0);
  const ms = deltas.reduce((a, d) => a + d.ms, 0);
  const top = [...deltas]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10)
    .map((d) => ({
      query: d.query.replace(/\s+/g, ' ').slice(0, 160),
      callsPerCheckout: d.calls / checkouts,
      msPerCheckout: d.ms / checkouts,
      meanMs: d.ms / d.calls,
    }));
  return { unavailable: null, statementsPerCheckout: calls / checkouts, msPerCheckout: ms / checkouts, top };
}

/**
 * Measures where the time goes while `run` drives a steady load: the CPU of every process of the
 * system on this machine (so the system must run here, as `npm start` runs it), and the statements
 * PostgreSQL ran, per checkout sent.
 * @param {() => Promise<{ sent: number }>} run
 * @param {{ databaseUrl: string }} options
 * @returns {Promise<{ report: CostReport, statements: { query: string, calls: number, ms: number }[] }>}
 */
export async function measureCost(run, { databaseUrl }) {
  const statements = await openStatements(databaseUrl);
  try {
    const before = await cpuSnapshot();
    const { sent } = await run();
    const cpu = await cpuSince(before, sent);
    const checkouts = Math.max(1, sent);
    const deltas = statements.client === null ? [] : statementDeltas(statements.before, await statementSnapshot(statements.client));
    const report = {
      checkouts: sent,
      ...cpu,
      statements:
        statements.client === null
          ? { unavailable: statements.unavailable, statementsPerCheckout: 0, msPerCheckout: 0, top: [] }
          : statementsCost(deltas, checkouts),
    };
    return { report, statements: deltas };
  } finally {
    await statements.client?.end();
  }
}
