// @ts-check
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { CLOCK_TICKS, cpuTicksByComponent } from './cost.measure.mjs';

const run = promisify(execFile);

/** Clients of the calibration: enough to keep PostgreSQL working while one waits on the other. */
const CLIENTS = 2;
/** Rows of the calibration's accounts table: pgbench's scale 1. */
const ACCOUNTS = 100_000;

/**
 * @typedef {object} Calibration
 * @property {'pgbench -N' | 'single-row-update loop over pg'} method
 * @property {string} command what ran, to reproduce it
 * @property {number} transactions
 * @property {number} seconds
 * @property {number} transactionsPerSecond
 * @property {number} cpuMsPerTransaction PostgreSQL's and the client's CPU per transaction, PostgreSQL's at-rest CPU taken out
 * @property {number} postgresMsPerTransaction
 * @property {number} clientMsPerTransaction
 */

/**
 * CPU ticks of the bench's reaped children (pgbench, once it exited), from /proc/self/stat's cutime and cstime.
 */
async function childTicks() {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13] ?? 0) + Number(fields[14] ?? 0);
}

/**
 * PostgreSQL's CPU while `fn` runs, less what it spends at rest over that time.
 * @template T
 * @param {() => Promise<T>} fn
 * @param {number} restMsPerSecond
 */
async function postgresCpuAround(fn, restMsPerSecond) {
  const before = (await cpuTicksByComponent()).get('postgres') ?? 0;
  const started = Date.now();
  const result = await fn();
  const seconds = (Date.now() - started) / 1_000;
  // The backends of the calibration's connections exit as it ends; give the postmaster time to reap them.
  await sleep(300);
  const ticks = ((await cpuTicksByComponent()).get('postgres') ?? 0) - before;
  return { result, seconds, postgresMs: Math.max(0, (ticks * 1_000) / CLOCK_TICKS - restMsPerSecond * seconds) };
}

async function hasPgbench() {
  return run('pgbench', ['--version']).then(
    () => true,
    () => false,
  );
}

/**
 * The `pgbench -N` transactions (update one account, read it back, append to the history) run by
 * pgbench itself, its tables in a schema of their own through the search path.
 * @param {string} databaseUrl
 * @param {string} schema
 * @param {number} seconds
 * @param {number} restMsPerSecond
 */
async function pgbenchRun(databaseUrl, schema, seconds, restMsPerSecond) {
  const env = { ...process.env, PGOPTIONS: `-c search_path=${schema}` };
  await run('pgbench', ['-i', '-s', '1', '-q', '-I', 'dtgp', databaseUrl], { env });
  const args = ['-N', '-n', '-c', String(CLIENTS), '-j', String(CLIENTS), '-T', String(seconds), databaseUrl];
  const before = await childTicks();
  const { result, seconds: elapsed, postgresMs } = await postgresCpuAround(() => run('pgbench', args, { env }), restMsPerSecond);
  const clientMs = (((await childTicks()) - before) * 1_000) / CLOCK_TICKS;
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(result.stdout)?.[1] ?? 0);
  return { transactions, clientMs, postgresMs, elapsed, command: `pgbench ${args.slice(0, -1).join(' ')} (scale 1)` };
}

/**
 * The same transaction as `pgbench -N`, for machines without pgbench: the same three statements in
 * a transaction, on tables of pgbench's scale 1, from `CLIENTS` connections.
 * @param {string} databaseUrl
 * @param {string} schema
 * @param {number} seconds
 * @param {number} restMsPerSecond
 */
async function loopRun(databaseUrl, schema, seconds, restMsPerSecond) {
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  try {
    await setup.query(`CREATE TABLE ${schema}.accounts (aid int PRIMARY KEY, abalance int NOT NULL DEFAULT 0, filler char(84))`);
    await setup.query(`INSERT INTO ${schema}.accounts (aid) SELECT generate_series(1, ${ACCOUNTS})`);
    await setup.query(`CREATE TABLE ${schema}.history (aid int, delta int, mtime timestamp, filler char(22))`);
  } finally {
    await setup.end();
  }
  const clients = Array.from({ length: CLIENTS }, () => new pg.Client({ connectionString: databaseUrl }));
  await Promise.all(clients.map((c) => c.connect()));
  const cpuBefore = process.cpuUsage();
  const endAt = Date.now() + seconds * 1_000;
  let transactions = 0;
  /** @type {{ seconds: number, postgresMs: number }} */
  let measured;
  try {
    measured = await postgresCpuAround(
      () =>
        Promise.all(
          clients.map(async (client) => {
            while (Date.now() < endAt) {
              const aid = 1 + Math.floor(Math.random() * ACCOUNTS);
              const delta = Math.floor(Math.random() * 10_001) - 5_000;
              await client.query('BEGIN');
              await client.query(`UPDATE ${schema}.accounts SET abalance = abalance + $1 WHERE aid = $2`, [delta, aid]);
              await client.query(`SELECT abalance FROM ${schema}.accounts WHERE aid = $1`, [aid]);
              await client.query(`INSERT INTO ${schema}.history (aid, delta, mtime) VALUES ($1, $2, CURRENT_TIMESTAMP)`, [aid, delta]);
              await client.query('COMMIT');
              transactions += 1;
            }
          }),
        ),
      restMsPerSecond,
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const used = process.cpuUsage(cpuBefore);
  return {
    transactions,
    clientMs: (used.user + used.system) / 1_000,
    postgresMs: measured.postgresMs,
    elapsed: measured.seconds,
    command: `${CLIENTS} pg clients, BEGIN; UPDATE; SELECT; INSERT; COMMIT (pgbench -N's transaction)`,
  };
}

/**
 * Calibrates the machine in the same run as the measures it scales: the CPU one simple
 * row-changing transaction costs here, PostgreSQL's (its backends, through the postmaster's reaped
 * children) plus its client's. A checkout's CPU divided by it holds across machines far better
 * than milliseconds do. PostgreSQL's CPU at rest over the same time is taken out, so the system's
 * own timers do not count as the transactions' cost.
 * @param {{ databaseUrl: string, seconds: number, runTag: string, postgresRestMsPerSecond: number }} options
 * @returns {Promise<Calibration>}
 */
export async function calibrate({ databaseUrl, seconds, runTag, postgresRestMsPerSecond }) {
  const schema = `bench_calibration_${runTag.toLowerCase()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pgbench = await hasPgbench();
    const measured = pgbench
      ? await pgbenchRun(databaseUrl, schema, seconds, postgresRestMsPerSecond)
      : await loopRun(databaseUrl, schema, seconds, postgresRestMsPerSecond);
    const { postgresMs, elapsed } = measured;
    const n = Math.max(1, measured.transactions);
    return {
      method: pgbench ? 'pgbench -N' : 'single-row-update loop over pg',
      command: measured.command,
      transactions: measured.transactions,
      seconds: Math.round(elapsed * 100) / 100,
      transactionsPerSecond: Math.round(measured.transactions / seconds),
      cpuMsPerTransaction: (postgresMs + measured.clientMs) / n,
      postgresMsPerTransaction: postgresMs / n,
      clientMsPerTransaction: measured.clientMs / n,
    };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    // The calibration wrote about 100,000 rows: flush them now, or a checkpoint spread over the next
    // minutes writes them during the first measures (it needs a superuser or pg_checkpoint; else skipped).
    await admin.query('CHECKPOINT').catch(() => undefined);
    await admin.end();
  }
}
