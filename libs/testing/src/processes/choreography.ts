import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@app/config';
import { SAGA_WORKERS } from '@app/choreography';
import type { AnyEvent, EventEnvelope, EventMap } from '@app/contracts';
import { EventPublisher } from '@app/redis-streams';
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
  /** The test's Redis and its own key prefix (`testConfig()`). */
  config: Pick<AppConfig, 'REDIS_URL' | 'REDIS_KEY_PREFIX'>;
  /** Extra settings of every worker. */
  env?: Record<string, string>;
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
    readonly publisher: EventPublisher,
    readonly stream: CheckoutStream,
    private readonly keyPrefix: string,
  ) {}

  static async start({ participants, apiKey, config, env = {} }: ChoreographyOptions): Promise<Choreography> {
    await ensureFreshBuild();
    const settings = {
      API_KEYS: apiKey,
      INTERNAL_API_KEY: apiKey,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      ...participants.urls,
      ...FAST_STREAMS,
      ...env,
    };
    const processes = await Promise.all(SAGA_WORKER_APPS.map((name) => ServiceProcess.start(name, settings)));
    const publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'checkout' });
    return new Choreography(
      new Map(processes.map((process) => [process.name, process])),
      publisher,
      new CheckoutStream(config.REDIS_URL, config.REDIS_KEY_PREFIX),
      config.REDIS_KEY_PREFIX,
    );
  }

  /** The process of one worker, to kill or restart it. */
  worker(name: SagaWorkerApp): ServiceProcess {
    const worker = this.workers.get(name);
    if (worker === undefined) throw new Error(`No worker ${name}`);
    return worker;
  }

  /** Starts a checkout as the checkout app does: its CheckoutInitiated, on the stream. */
  initiate(order: CheckoutOrder, checkoutId: string = randomUUID()): Promise<EventEnvelope<'CheckoutInitiated'>> {
    return this.publisher.publish('CheckoutInitiated', { checkoutId, ...order }, { correlationId: checkoutId });
  }

  /** Appends an event again exactly as it was: the same envelope, a second entry. */
  redeliver(event: AnyEvent): Promise<string> {
    return this.publisher.publishEnvelope(event);
  }

  /** Stops every worker, then removes the test's keys. */
  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    await this.stream.close();
    // Never without a prefix: that would be every key of the Redis.
    const keys = this.keyPrefix === '' ? [] : await this.publisher.redis.keys(`${this.keyPrefix}*`);
    if (keys.length > 0) await this.publisher.redis.del(...keys);
    await this.publisher.close();
  }
}
