import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, type IncomingEvent, appendEvents } from '@app/event-store';
import { Choreography, Participants, ServiceProcess, TEST_API_KEY, type TestDatabase, createTestDatabase, testConfig } from '@app/testing';

/** Quick to give up on a participant that is down, so that a test parks a saga or dead-letters an event in seconds. */
const QUICK_FAILURE = { PARTICIPANT_TIMEOUT_MS: '1000', PARTICIPANT_RETRIES: '1' };

/**
 * The whole system as `npm start` runs it, each app in its own process on a free port, with the
 * console pointed at them: participants, orchestrator, checkout app, event store, the ten workers.
 */
export class ConsoleSystem {
  private constructor(
    readonly participants: Participants,
    readonly choreography: Choreography,
    readonly apps: ReadonlyMap<string, ServiceProcess>,
    private readonly databases: { saga: TestDatabase; store: TestDatabase },
  ) {}

  static async start(): Promise<ConsoleSystem> {
    const config = testConfig();
    const participants = await Participants.start({ label: 'console', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    const choreography = await Choreography.start({ participants, apiKey: TEST_API_KEY, config, env: QUICK_FAILURE });
    const [saga, store] = await Promise.all([createTestDatabase('console_saga'), createTestDatabase('console_store')]);
    const env = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      SAGA_DATABASE_URL: saga.url,
      CHECKOUT_DATABASE_URL: store.url,
      EVENT_STORE_DATABASE_URL: store.url,
      NOTIFICATIONS_DATABASE_URL: store.url,
      CHECKOUT_DEADLINE_DATABASE_URL: store.url,
      STREAM_BLOCK_MS: '200',
      ...participants.urls,
      ...QUICK_FAILURE,
    };
    const apps = new Map<string, ServiceProcess>();
    // Several of them migrate the event store's schema: one at a time, so each finds it as the previous left it.
    for (const name of ['event-store', 'checkout-deadline-worker', 'audit-worker', 'cqrs-projection-worker', 'notification-worker'])
      apps.set(name, await ServiceProcess.start(name, env));
    apps.set('checkout', await ServiceProcess.start('checkout', { ...env, CHECKOUT_DEADLINE_WORKER_URL: apps.get('checkout-deadline-worker')!.url }));
    // A parked saga waits for the operator here: the test retries it from the console.
    apps.set('saga-orchestrator', await ServiceProcess.start('saga-orchestrator', { ...env, SAGA_PARKED_RETRY_MS: '0' }));
    const urlOf = (name: string) => apps.get(name)!.url;
    apps.set(
      'console',
      await ServiceProcess.start('console', {
        ...env,
        SAGA_ORCHESTRATOR_URL: urlOf('saga-orchestrator'),
        CHECKOUT_URL: urlOf('checkout'),
        EVENT_STORE_URL: urlOf('event-store'),
        CHOREOGRAPHY_METRICS_URL: urlOf('cqrs-projection-worker'),
      }),
    );
    return new ConsoleSystem(participants, choreography, apps, { saga, store });
  }

  get consoleUrl(): string {
    return this.apps.get('console')!.url;
  }

  /** Stores events in the event store as the audit worker records what it reads (events of a traced system, say). */
  async storeEvents(events: readonly IncomingEvent[]): Promise<void> {
    const config = testConfig({ EVENT_STORE_DATABASE_URL: this.databases.store.url });
    const db = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
    try {
      await appendEvents(db, events);
    } finally {
      await db.destroy();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apps.values()].map((app) => app.stop()));
    await this.choreography.stop();
    await this.participants.stop();
    await Promise.all(Object.values(this.databases).map((db) => db.drop()));
  }
}
