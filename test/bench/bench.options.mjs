// @ts-check
import { parseArgs } from 'node:util';
import { HTTP_APPS, WORKERS } from '../../scripts/system.mjs';

/** @typedef {'orchestrated' | 'choreographed'} Style */

/**
 * @typedef {object} BenchOptions
 * @property {boolean} smoke
 * @property {Style[]} styles Styles to run; `auto` resolves to the orchestrated one plus the choreographed one when its app answers.
 * @property {boolean} stylesExplicit Whether `--styles` named them (then an unreachable style is an error, not a skip).
 * @property {number} users Closed model: concurrent users, no think time (the seed's scenario P1/P2 has 50).
 * @property {number} closedSeconds
 * @property {number} rounds How many times each style runs the closed model and the knee search, the styles alternating.
 * @property {number} startRate Open model: the knee search's first arrival rate (checkouts/s), doubled until a rate fails.
 * @property {number} maxRate The highest rate the knee search tries.
 * @property {number} kneeResolution The search bisects until the knee is known to ± this many checkouts/s.
 * @property {number} stepSeconds
 * @property {number} warmupSeconds
 * @property {number} drainSeconds How long to wait, after a step, for its checkouts to reach a terminal state.
 * @property {number} settleSeconds How long a step waits at most, before it starts, for the work earlier steps left for later to be done (0: no wait).
 * @property {{ success: number, insufficientStock: number, declined: number }} mix Shares of planned outcomes (sum 1).
 * @property {number} connections Size of each undici pool driving a style.
 * @property {number} p99LimitMs A rate is sustained only with an end-to-end p99 under this.
 * @property {number} verifySuccesses How many succeeded checkouts per style the invariant check inspects one by one (every failed one is).
 * @property {string} apiKey
 * @property {string} orchestratorUrl
 * @property {string} checkoutUrl
 * @property {string} inventoryUrl
 * @property {string} ordersUrl
 * @property {string} paymentsUrl
 * @property {string} eventStoreUrl
 * @property {string[]} metricsUrls Every /metrics to scrape for the time per step.
 * @property {'redis-streams' | 'nats'} bus The bus the system under test runs on (its `BUS`): where the bench watches events and group backlogs.
 * @property {string} redisUrl
 * @property {string} redisKeyPrefix
 * @property {string} natsUrl
 * @property {string} natsPrefix
 * @property {string} databaseUrl The system's database: its PostgreSQL version, the statements it ran over the cost step, and the calibration (in a schema of its own).
 * @property {string} outDir Reports go to `<outDir>/<timestamp>/`.
 * @property {boolean} replay
 * @property {{ rate: number, seconds: number, leadSeconds: number } | null} cost Where the time goes: a steady step at this rate, CPU per process and statements per checkout,
 *   after an unmeasured lead-in at the same rate; null to skip.
 * @property {number} restSeconds How long the system's CPU at rest is measured, with no traffic (0 with --no-cost).
 * @property {number} calibrationSeconds How long the `pgbench -N` calibration runs (0 with --no-cost).
 */

/** @param {number} port */
const local = (port) => `http://127.0.0.1:${port}`;
/** @param {string} name */
const portOf = (name) => HTTP_APPS.find((app) => app.name === name)?.port ?? 0;

/** The quick profile used by the test: seconds, not minutes, every phase still exercised. */
const SMOKE = {
  users: 10,
  closedSeconds: 1.5,
  rounds: 2,
  startRate: 5,
  maxRate: 10,
  stepSeconds: 1.5,
  warmupSeconds: 0.5,
  drainSeconds: 20,
  settleSeconds: 1,
  verifySuccesses: 1_000,
  costRate: 10,
  costSeconds: 2,
  costLeadSeconds: 1,
  restSeconds: 2,
  calibrationSeconds: 1,
};

/** The full profile: the scenario, knees found to ± 5/s, twice per style. */
const FULL = {
  users: 50,
  closedSeconds: 15,
  rounds: 2,
  startRate: 5,
  maxRate: 400,
  stepSeconds: 10,
  warmupSeconds: 5,
  drainSeconds: 30,
  settleSeconds: 60,
  verifySuccesses: 1_000,
  costRate: 40,
  costSeconds: 10,
  costLeadSeconds: 20,
  restSeconds: 10,
  calibrationSeconds: 5,
};

const USAGE = `Usage: npm run bench -- [options]

Measures the system's CPU at rest and calibrates the machine (pgbench -N), then drives the orchestrated and
the choreographed checkout of the running system (npm start) one style at a time, alternating, twice: a
closed model (N users, no think time), then an open-model search for each style's knee. Then, per style,
a steady step measuring where the time goes (CPU, statements, time per hop), an invariant check, a replay
measure, and a report in <out>/<timestamp>/report.{md,json} with SVG charts.

  --smoke                  quick run (under a minute), used by the test
  --styles LIST            orchestrated,choreographed (default: auto, the choreography when its app answers)
  --users N                closed model users (default 50)
  --closed-seconds S       closed model duration (default 15)
  --rounds N               runs of each style, alternating (default 2)
  --start-rate R           knee search: first rate in checkouts/s, doubled until one fails (default 5)
  --max-rate R             knee search: highest rate tried (default 400)
  --knee-resolution R      knee search: bisect until the knee is known to ± R checkouts/s (default 5)
  --step-seconds S         duration of each rate tried (default 10)
  --warmup-seconds S       unrecorded warm-up per style (default 5)
  --drain-seconds S        wait for outstanding checkouts after a step (default 30)
  --settle-seconds S       before each step, wait up to S for the system's processes to fall under 10% of the cores,
                           so the work earlier steps left for later (the simulated carrier's moves of their parcels,
                           consumers catching up) is not measured as this step's (default 60; 0: no wait)
  --mix S,I,D              % success, insufficient stock, declined card (default 80,10,10)
  --connections N          HTTP pool size per style (default 128)
  --p99-limit-ms MS        p99 bound of a sustained rate (default 250)
  --verify-successes N     succeeded checkouts inspected per style by the invariant check (default 1000)
  --api-key KEY            X-API-Key (default: API_KEYS' first key, else dev-key)
  --orchestrator-url URL   --checkout-url URL --inventory-url URL --orders-url URL --payments-url URL
  --event-store-url URL    base URLs (default: the local ports of scripts/system.mjs)
  --metrics-urls LIST      /metrics endpoints to scrape (default: every app and worker of scripts/system.mjs)
  --bus B                  redis-streams or nats: the bus of the system under test (default BUS or redis-streams)
  --redis-url URL          (default redis://127.0.0.1:6379)  --redis-key-prefix P (default REDIS_KEY_PREFIX or none)
  --nats-url URL           (default NATS_URL or nats://127.0.0.1:4222)  --nats-prefix P (default NATS_PREFIX or none)
  --database-url URL       the system's database (default DATABASE_URL, else npm start's): PostgreSQL's version,
                           the statements of the cost step, the calibration (in a schema of its own)
  --out DIR                (default reports)
  --no-replay              skip the projection rebuild measure
  --cost-rate R            rate of the step measuring where the time goes: CPU per process from /proc and
                           PostgreSQL statements (pg_stat_statements, when preloaded) per checkout (default 40)
  --cost-seconds S         duration of that step (default 10)
  --cost-lead-seconds S    unmeasured lead-in at the cost rate before it (default 20), so that what earlier steps
                           left to do later (the simulated carrier's moves of their parcels) is over and the work
                           in the window is that of the rate itself
  --rest-seconds S         how long the system's CPU at rest is measured (default 10)
  --calibration-seconds S  how long pgbench -N (or its stand-in without pgbench) calibrates the machine (default 5)
  --no-cost                skip the cost step, the CPU at rest and the calibration (e.g. when the system runs
                           on another machine)
  --help`;

/** @param {string} value @returns {string[]} */
const list = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * @param {string} value
 * @returns {'redis-streams' | 'nats'}
 */
function busOf(value) {
  if (value === 'redis-streams' || value === 'nats') return value;
  throw new Error(`--bus must be redis-streams or nats, got "${value}"`);
}

/** @param {string} name @param {string} value */
export function positive(name, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

/** @param {string} name @param {string} value */
function zeroOrMore(name, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be zero or a positive number, got "${value}"`);
  return n;
}

/** @param {string} value */
function mixOf(value) {
  const parts = list(value).map((p) => Number(p));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || parts.reduce((a, b) => a + b, 0) <= 0) {
    throw new Error(`--mix must be three non-negative shares "success,insufficientStock,declined", got "${value}"`);
  }
  const total = parts.reduce((a, b) => a + b, 0);
  const [success = 0, insufficientStock = 0, declined = 0] = parts.map((p) => p / total);
  return { success, insufficientStock, declined };
}

/** @param {string} value */
function stylesOf(value) {
  if (value === 'auto') return { styles: /** @type {Style[]} */ (['orchestrated', 'choreographed']), explicit: false };
  const styles = list(value);
  for (const style of styles) {
    if (style !== 'orchestrated' && style !== 'choreographed') throw new Error(`--styles takes orchestrated and/or choreographed, got "${style}"`);
  }
  if (styles.length === 0) throw new Error('--styles is empty');
  return { styles: /** @type {Style[]} */ (styles), explicit: true };
}

/**
 * Reads the command line (and, like the apps' defaults, API_KEYS / REDIS_KEY_PREFIX / DATABASE_URL).
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @returns {BenchOptions | undefined} undefined when only the usage was asked for
 */
export function parseBenchOptions(argv, env) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      smoke: { type: 'boolean', default: false },
      styles: { type: 'string', default: 'auto' },
      users: { type: 'string' },
      'closed-seconds': { type: 'string' },
      rounds: { type: 'string' },
      'start-rate': { type: 'string' },
      'max-rate': { type: 'string' },
      'knee-resolution': { type: 'string' },
      'step-seconds': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'drain-seconds': { type: 'string' },
      'settle-seconds': { type: 'string' },
      mix: { type: 'string', default: '80,10,10' },
      connections: { type: 'string', default: '128' },
      'p99-limit-ms': { type: 'string', default: '250' },
      'verify-successes': { type: 'string' },
      'api-key': { type: 'string' },
      'orchestrator-url': { type: 'string', default: local(portOf('saga-orchestrator')) },
      'checkout-url': { type: 'string', default: local(portOf('checkout')) },
      'inventory-url': { type: 'string', default: local(portOf('inventory')) },
      'orders-url': { type: 'string', default: local(portOf('orders')) },
      'payments-url': { type: 'string', default: local(portOf('payments')) },
      'event-store-url': { type: 'string', default: local(portOf('event-store')) },
      'metrics-urls': { type: 'string' },
      bus: { type: 'string', default: env['BUS'] ?? 'redis-streams' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      'nats-url': { type: 'string', default: env['NATS_URL'] ?? 'nats://127.0.0.1:4222' },
      'nats-prefix': { type: 'string', default: env['NATS_PREFIX'] ?? '' },
      'redis-key-prefix': { type: 'string', default: env['REDIS_KEY_PREFIX'] ?? '' },
      'database-url': { type: 'string', default: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/checkout_sagas' },
      out: { type: 'string', default: 'reports' },
      'no-replay': { type: 'boolean', default: false },
      'cost-rate': { type: 'string' },
      'cost-seconds': { type: 'string' },
      'cost-lead-seconds': { type: 'string' },
      'rest-seconds': { type: 'string' },
      'calibration-seconds': { type: 'string' },
      'no-cost': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const profile = values.smoke ? SMOKE : FULL;
  /** @param {string | undefined} value @param {string} name @param {number} fallback */
  const number = (value, name, fallback) => (value === undefined ? fallback : positive(name, value));
  const { styles, explicit } = stylesOf(values.styles);
  const defaultMetrics = [...HTTP_APPS.map((app) => app.port), ...WORKERS.map((worker) => worker.port)].map((port) => `${local(port)}/metrics`);
  return {
    smoke: values.smoke,
    styles,
    stylesExplicit: explicit,
    users: values.users === undefined ? profile.users : Math.round(positive('users', values.users)),
    closedSeconds: values['closed-seconds'] === undefined ? profile.closedSeconds : positive('closed-seconds', values['closed-seconds']),
    rounds: Math.round(number(values.rounds, 'rounds', profile.rounds)),
    startRate: number(values['start-rate'], 'start-rate', profile.startRate),
    maxRate: number(values['max-rate'], 'max-rate', profile.maxRate),
    kneeResolution: number(values['knee-resolution'], 'knee-resolution', 5),
    stepSeconds: values['step-seconds'] === undefined ? profile.stepSeconds : positive('step-seconds', values['step-seconds']),
    warmupSeconds: values['warmup-seconds'] === undefined ? profile.warmupSeconds : Number(values['warmup-seconds']),
    drainSeconds: values['drain-seconds'] === undefined ? profile.drainSeconds : positive('drain-seconds', values['drain-seconds']),
    settleSeconds: values['settle-seconds'] === undefined ? profile.settleSeconds : zeroOrMore('settle-seconds', values['settle-seconds']),
    mix: mixOf(values.mix),
    connections: Math.round(positive('connections', values.connections)),
    p99LimitMs: positive('p99-limit-ms', values['p99-limit-ms']),
    verifySuccesses: values['verify-successes'] === undefined ? profile.verifySuccesses : Math.round(Number(values['verify-successes'])),
    apiKey: values['api-key'] ?? (env['API_KEYS'] ?? 'dev-key').split(',')[0]?.trim() ?? 'dev-key',
    orchestratorUrl: values['orchestrator-url'],
    checkoutUrl: values['checkout-url'],
    inventoryUrl: values['inventory-url'],
    ordersUrl: values['orders-url'],
    paymentsUrl: values['payments-url'],
    eventStoreUrl: values['event-store-url'],
    metricsUrls: values['metrics-urls'] === undefined ? defaultMetrics : list(values['metrics-urls']),
    bus: busOf(values.bus),
    redisUrl: values['redis-url'],
    redisKeyPrefix: values['redis-key-prefix'],
    natsUrl: values['nats-url'],
    natsPrefix: values['nats-prefix'],
    databaseUrl: values['database-url'],
    outDir: values.out,
    replay: !values['no-replay'],
    cost: values['no-cost']
      ? null
      : {
          rate: values['cost-rate'] === undefined ? profile.costRate : positive('cost-rate', values['cost-rate']),
          seconds: values['cost-seconds'] === undefined ? profile.costSeconds : positive('cost-seconds', values['cost-seconds']),
          leadSeconds: values['cost-lead-seconds'] === undefined ? profile.costLeadSeconds : zeroOrMore('cost-lead-seconds', values['cost-lead-seconds']),
        },
    restSeconds: values['no-cost'] ? 0 : number(values['rest-seconds'], 'rest-seconds', profile.restSeconds),
    calibrationSeconds: values['no-cost'] ? 0 : number(values['calibration-seconds'], 'calibration-seconds', profile.calibrationSeconds),
  };
}
