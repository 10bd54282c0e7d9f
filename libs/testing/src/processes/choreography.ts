import { randomUUID } from 'node:crypto';
import { type BusAdmin, type EventBus, createBusAdmin, createEventBus } from '@app/bus';
import type { AppConfig } from '@app/config';
import { SAGA_WORKERS } from '@app/choreography';
import { type AnyEvent, type EventEnvelope, type EventMap, STREAMS } from '@app/contracts';
import { Redis } from 'ioredis';
import { publishAgain } from '../bus-test-scope.js';
import { deleteStreamsWithPrefix } from '../jetstream-streams.js';
import { busEnv } from '../test-config.js';
import { deleteKeysWithPrefix } from '../redis-keys.js';
import { eventually } from '../eventually.js';
import { CheckoutStream } from './checkout-stream.js';
import type { Participants } from './participants.js';
import { ServiceProcess, ensureFreshBuild } from './service-process.js';

/** The six saga workers of the choreography, by app name. */
export const SAGA_WORKER_APPS = Object.values(SAGA_WORKERS).map((worker) => worker.name);

export type SagaWorkerApp = (typeof SAGA_WORKERS)[keyof typeof SAGA_WORKERS]['name'];

/**
 * Quick to notice a crashed consumer and quick to stop: a killed worker's entries are claimed by its
 * restarted process after a second, not after the production half-minute, and a failed delivery is
 * tried again within a second.
 */
const FAST_STREAMS = {
  STREAM_CLAIM_IDLE_MS: '1000',
  STREAM_CLAIM_INTERVAL_MS: '500',
  STREAM_BLOCK_MS: '200',
  STREAM_RETRY_DELAY_MS: '200',
  STREAM_RETRY_MAX_DELAY_MS: '1000',
  SHUTDOWN_DRAIN_MS: '2000',
};

export interface ChoreographyOptions {
  /** The services the workers call. */
  participants: Pick<Participants, 'urls'>;
  /** Accepted by the participants. */
  apiKey: string;
  /** The test's bus (`BUS`) and its own prefixes (`testConfig()`). */
  config: AppConfig;
  /** Extra settings of every worker. */
  env?: Record<string, string>;
  /** Processes of each worker (default 1): instances of one worker share its consumer group. */
  instances?: number;
}

/** What the checkout app puts in a CheckoutInitiated, minus the id. */
export type CheckoutOrder = Omit<EventMap['CheckoutInitiated'], 'checkoutId'>;

/**
 * The choreographed checkout without its entry point: the six saga workers, each in a process of
 * its own as production runs them (so one can be killed and started again), a publisher that plays
 * the checkout app, and the checkout stream read as it fills.
 */
export class Choreography {
  private constructor(
    private readonly workers: ReadonlyMap<string, ServiceProcess>,
    /** Publishes as the checkout app. */
    readonly publisher: EventBus,
    readonly stream: CheckoutStream,
    /** The bus as operators see it: consumer groups, dead letters. */
    readonly admin: BusAdmin,
    private readonly config: AppConfig,
  ) {}

  static async start({ participants, apiKey, config, env = {}, instances = 1 }: ChoreographyOptions): Promise<Choreography> {
    await ensureFreshBuild();
    const settings = {
      API_KEYS: apiKey,
      INTERNAL_API_KEY: apiKey,
      ...busEnv(config),
      ...participants.urls,
      ...FAST_STREAMS,
      ...env,
    };
    // A dozen Nest apps booting at once on two cores miss their start deadline; the workers started
    // before one that fails to start are killed, not left running.
    const processes: Array<readonly [string, ServiceProcess]> = [];
    const starts = Array.from({ length: instances }, (_, i) => SAGA_WORKER_APPS.map((name) => ({ name, key: i === 0 ? name : `${name}#${i + 1}` }))).flat();
    // One worker's instances at once (six processes) when there is one of each, three at a time past that.
    const batch = instances === 1 ? SAGA_WORKER_APPS.length : 3;
    for (let i = 0; i < starts.length; i += batch) {
      const round = await Promise.allSettled(
        starts.slice(i, i + batch).map(async ({ name, key }) => [key, await ServiceProcess.start(name, settings)] as const),
      );
      processes.push(...round.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
      const failure = round.find((result) => result.status === 'rejected');
      if (failure !== undefined) {
        await Promise.all(processes.map(([, process]) => process.kill()));
        throw failure.reason;
      }
    }
    const publisher = await createEventBus(config, 'checkout');
    return new Choreography(new Map(processes), publisher, CheckoutStream.of(config), await createBusAdmin(config), config);
  }

  /** The process of one worker (its instance number `instance`, from 1), to kill or restart it. */
  worker(name: SagaWorkerApp, instance = 1): ServiceProcess {
    const worker = this.workers.get(instance === 1 ? name : `${name}#${instance}`);
    if (worker === undefined) throw new Error(`No worker ${name}`);
    return worker;
  }

  /** Starts a checkout as the checkout app does: its CheckoutInitiated, on the stream. */
  initiate(order: CheckoutOrder, checkoutId: string = randomUUID()): Promise<EventEnvelope<'CheckoutInitiated'>> {
    return this.publisher.publish('CheckoutInitiated', { checkoutId, ...order }, { correlationId: checkoutId });
  }

  /** Appends an event again exactly as it was: the same envelope, a second entry (past JetStream's duplicate check). */
  redeliver(event: AnyEvent): Promise<void> {
    return publishAgain(this.config, event);
  }

  /**
   * Whether the bus drops a second publish of an eventId (JetStream, within its duplicate window):
   * a redelivered event's handler then republishes its outcome to no effect, where Redis appends it again.
   */
  get deduplicatesPublishes(): boolean {
    return this.config.BUS === 'nats';
  }

  /** Resolves once every group of the checkout stream has handled and acknowledged everything on it. */
  settled({ timeoutMs = 15_000 } = {}): Promise<void> {
    return eventually(
      async () => {
        const { groups } = await this.admin.summary(STREAMS.checkout);
        const busy = groups.filter((g) => g.pending !== 0 || g.lag !== 0);
        if (busy.length > 0) throw new Error(`Groups still at work: ${busy.map((g) => `${g.name} (${g.pending} pending, lag ${g.lag})`).join(', ')}`);
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** Events delivered to the group on the checkout stream and not acknowledged yet. */
  async pendingOf(group: string): Promise<number> {
    const { groups } = await this.admin.summary(STREAMS.checkout);
    return groups.find((g) => g.name === group)?.pending ?? 0;
  }

  /** Stops every worker, then removes the test's streams. */
  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    await this.stream.close();
    await this.publisher.close();
    await this.admin.close();
    // Never without a prefix: that would be every key of the Redis (the helpers refuse an empty one).
    if (this.config.REDIS_KEY_PREFIX !== '') {
      const redis = new Redis(this.config.REDIS_URL);
      await deleteKeysWithPrefix(redis, this.config.REDIS_KEY_PREFIX);
      redis.disconnect();
    }
    await deleteStreamsWithPrefix(this.config.NATS_URL, this.config.NATS_PREFIX);
  }
}
