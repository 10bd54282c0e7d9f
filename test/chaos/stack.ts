import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import { SAGA_WORKER_APPS, ServiceProcess, TEST_API_KEY, type TestDatabase, createTestDatabase, ensureFreshBuild } from '@app/testing';
import { CATALOG } from './catalog.js';
import { RedisServer } from './redis-server.js';

export const PARTICIPANT_APPS = ['inventory', 'orders', 'payments'] as const;
export type ParticipantApp = (typeof PARTICIPANT_APPS)[number];

/** The nine choreography workers: the six of the saga, then the subscribers of the whole bus. */
export const WORKER_APPS = [...SAGA_WORKER_APPS, 'audit-worker', 'cqrs-projection-worker', 'notification-worker', 'checkout-deadline-worker'] as const;

type HttpApp = ParticipantApp | 'saga-orchestrator' | 'checkout' | 'event-store' | 'shipping';

/** How the suite's own connections name themselves, so the PostgreSQL cut spares them. */
export const SUITE_APPLICATION_NAME = 'chaos-suite';

/**
 * Production settings shortened so that a fault shows and heals within seconds: a dead consumer's
 * entries are claimed after a second, a stuck checkout is compensated after 15 s. Their proportions
 * are kept: as in production (8 deliveries over about 90 s against a 60 s deadline), an entry is
 * redelivered for longer than the deadline before it is dead-lettered (here about 18 s against 15 s).
 */
const QUICK_TIMINGS = {
  STREAM_CLAIM_IDLE_MS: '1000',
  STREAM_MAX_ATTEMPTS: '20',
  STREAM_RETRY_DELAY_MS: '250',
  STREAM_RETRY_MAX_DELAY_MS: '1000',
  STREAM_CLAIM_INTERVAL_MS: '300',
  STREAM_BLOCK_MS: '200',
  SHUTDOWN_DRAIN_MS: '2000',
  CHECKOUT_DEADLINE_MS: '15000',
  SAGA_DEADLINE_MS: '15000',
  SAGA_PARKED_RETRY_MS: '5000',
  CHECKOUT_STUCK_SCAN_INTERVAL_MS: '1000',
  PARTICIPANT_TIMEOUT_MS: '1000',
  PARTICIPANT_RETRIES: '3',
};

/** Apps started at once. */
const BOOT_BATCH = 3;

const DATABASE_VARIABLES = ['INVENTORY', 'ORDERS', 'PAYMENTS', 'SAGA', 'CHECKOUT', 'EVENT_STORE', 'NOTIFICATIONS', 'CHECKOUT_DEADLINE', 'SHIPPING'].map(
  (app) => `${app}_DATABASE_URL`,
);

/** Starts the apps a few at a time (a dozen Nest apps booting at once on two cores miss their start deadline); each is added to `started` as soon as it runs. */
async function startInBatches(names: readonly string[], env: Record<string, string>, started: ServiceProcess[]): Promise<ServiceProcess[]> {
  const processes: ServiceProcess[] = [];
  for (let i = 0; i < names.length; i += BOOT_BATCH) {
    const batch = await Promise.allSettled(names.slice(i, i + BOOT_BATCH).map((name) => ServiceProcess.start(name, env)));
    const running = batch.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    started.push(...running);
    processes.push(...running);
    const failure = batch.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  }
  return processes;
}

/**
 * The whole system as production runs it, every app and worker in a process of its own, on a
 * database and a Redis of the suite's own (each app in its own schema), plus the suite's own
 * connections to read what the apps did.
 */
export class ChaosStack {
  private readonly extraInstances: ServiceProcess[] = [];

  private constructor(
    readonly database: TestDatabase,
    readonly redisServer: RedisServer,
    private readonly apps: ReadonlyMap<HttpApp, ServiceProcess>,
    private readonly workerInstances: Map<string, ServiceProcess[]>,
    private readonly env: Record<string, string>,
    /** The suite's own pool on the database (application_name {@link SUITE_APPLICATION_NAME}). */
    readonly sql: pg.Pool,
    /** The suite's own connection to the Redis, to read the streams and write to them behind the apps' backs. */
    readonly redis: Redis,
  ) {}

  static async start(): Promise<ChaosStack> {
    await ensureFreshBuild();
    // An interrupted run (Ctrl-C, a CI timeout) exits through 'exit', whose hooks kill every process started.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
    const [database, redisServer] = await Promise.all([createTestDatabase('chaos'), RedisServer.start()]);
    const started: ServiceProcess[] = [];
    try {
      return await ChaosStack.boot(database, redisServer, started);
    } catch (error) {
      await Promise.all(started.map((process) => process.kill()));
      await Promise.all([redisServer.destroy(), database.drop()]);
      throw error;
    }
  }

  private static async boot(database: TestDatabase, redisServer: RedisServer, started: ServiceProcess[]): Promise<ChaosStack> {
    const env: Record<string, string> = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_URL: redisServer.url,
      REDIS_KEY_PREFIX: '',
      DATABASE_POOL_SIZE: '4',
      ...Object.fromEntries(DATABASE_VARIABLES.map((variable) => [variable, database.url])),
      ...QUICK_TIMINGS,
      // No carrier runs here (the simulator is off), so a parcel's deadline would only report the missing carrier:
      // parcels stay REGISTERED for the whole run, which is what the one-parcel-per-success invariant checks.
      PARCEL_DEADLINE_MS: String(7 * 24 * 3_600_000),
    };
    const startAll = (names: readonly string[]) => startInBatches(names, env, started);
    const apps = new Map<HttpApp, ServiceProcess>();
    const [inventory, orders, payments] = await startAll(PARTICIPANT_APPS);
    apps.set('inventory', inventory!).set('orders', orders!).set('payments', payments!);
    Object.assign(env, { INVENTORY_URL: inventory!.url, ORDERS_URL: orders!.url, PAYMENTS_URL: payments!.url });
    const [orchestrator] = await startAll(['saga-orchestrator']);
    apps.set('saga-orchestrator', orchestrator!);
    env['SAGA_ORCHESTRATOR_URL'] = orchestrator!.url;
    // The shipping app ships every succeeded checkout; its simulated carrier stays off, so parcels stay REGISTERED.
    const [checkout, eventStore, shipping, ...workers] = await startAll(['checkout', 'event-store', 'shipping', ...WORKER_APPS]);
    apps.set('checkout', checkout!).set('event-store', eventStore!).set('shipping', shipping!);
    const sql = new pg.Pool({ connectionString: database.url, max: 4, application_name: SUITE_APPLICATION_NAME });
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    const stack = new ChaosStack(database, redisServer, apps, new Map(workers.map((w) => [w.name, [w]])), env, sql, redis);
    await stack.stockCatalog().catch(async (error: unknown) => {
      redis.disconnect();
      await sql.end();
      throw error;
    });
    return stack;
  }

  app(name: HttpApp): ServiceProcess {
    const app = this.apps.get(name);
    if (app === undefined) throw new Error(`No app ${name}`);
    return app;
  }

  get participants(): ServiceProcess[] {
    return PARTICIPANT_APPS.map((name) => this.app(name));
  }

  /** Every running instance of a worker, the first one started with the stack. */
  instancesOf(worker: string): ServiceProcess[] {
    const instances = this.workerInstances.get(worker);
    if (instances === undefined) throw new Error(`No worker ${worker}`);
    return instances;
  }

  /** The first instance of each worker. */
  get workers(): ServiceProcess[] {
    return WORKER_APPS.map((name) => this.instancesOf(name)[0]!);
  }

  /** Starts one more instance of each of these workers, in the same consumer group: the instances share its entries. */
  async addInstances(workers: readonly string[]): Promise<void> {
    const instances = await startInBatches(workers, this.env, this.extraInstances);
    for (const instance of instances) this.instancesOf(instance.name).push(instance);
  }

  /** Stops every instance started by {@link addInstance} (gracefully: they drain what they hold). */
  async removeExtraInstances(): Promise<void> {
    const extra = this.extraInstances.splice(0);
    await Promise.all(extra.map((instance) => instance.stop()));
    for (const instances of this.workerInstances.values()) instances.splice(1);
  }

  /** Every process of the stack, for their logs. */
  get processes(): ServiceProcess[] {
    return [...this.apps.values(), ...[...this.workerInstances.values()].flat()];
  }

  /**
   * Restarts every process that died on its own (a fault must never take a service down for good);
   * returns what each one wrote last, for the report.
   */
  async reviveDead(): Promise<{ name: string; logs: string }[]> {
    const dead = this.processes.filter((process) => !process.running);
    await Promise.all(dead.map((process) => process.restart()));
    return dead.map((process) => ({ name: process.name, logs: process.logs.slice(-6_000) }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.kill()));
    this.redis.disconnect();
    await this.sql.end();
    await Promise.all([this.redisServer.destroy(), this.database.drop()]);
  }

  private async stockCatalog(): Promise<void> {
    for (const { sku, priceCents, stock } of CATALOG) {
      await request(this.app('inventory').url)
        .post('/inventory/products')
        .set('X-API-Key', TEST_API_KEY)
        .send({ sku, name: `Chaos ${sku}`, priceCents, stock })
        .expect(200);
    }
  }
}
