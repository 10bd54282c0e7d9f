// @ts-check
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { CHECKOUT_STREAM, TerminalEventWatcher } from './terminal-event.watcher.mjs';

/**
 * The bench's view of the bus when the system runs on NATS JetStream (`--bus nats`), named as the
 * transport names things (libs/nats-jetstream): the stream `<prefix>ecommerce_checkout_events` over
 * the subjects `<prefix>ecommerce.checkout.events.<Type>`.
 */

/** @param {string} prefix */
export const checkoutStreamName = (prefix) => `${prefix}${CHECKOUT_STREAM}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** @param {string} url */
const connectTo = (url) => connect({ servers: url.split(','), name: 'bench', maxReconnectAttempts: -1 });

/**
 * Reads the terminal events off the checkout stream's subjects with a plain NATS subscription: every
 * message JetStream stores was published on its subject, so a core subscriber sees it without a
 * consumer, and takes nothing from the workers' consumers.
 */
export class NatsTerminalEventWatcher extends TerminalEventWatcher {
  /** @param {{ natsUrl: string, prefix: string }} options */
  constructor({ natsUrl, prefix }) {
    super({ redisUrl: 'redis://unused', keyPrefix: prefix });
    this.natsUrl = natsUrl;
    this.subject = `${prefix}${CHECKOUT_STREAM}.>`;
    /** @type {import('@nats-io/transport-node').NatsConnection | undefined} */
    this.connection = undefined;
  }

  async start() {
    const connection = await connectTo(this.natsUrl);
    this.connection = connection;
    const subscription = connection.subscribe(this.subject);
    this.loop = (async () => {
      for await (const message of subscription) {
        this.entriesRead += 1;
        const type = message.subject.slice(message.subject.lastIndexOf('.') + 1);
        this.accept(['type', type, 'event', message.string()], performance.now());
      }
    })();
  }

  async stop() {
    this.stopped = true;
    this.abandonWaiting();
    await this.connection?.drain().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }
}

/**
 * The slowest group of the checkout stream: messages it has not been delivered plus those it has
 * not acknowledged, its consumers (one per event type for the saga workers) summed.
 */
export class NatsBacklogProbe {
  /** @param {{ natsUrl: string, prefix: string }} options */
  constructor({ natsUrl, prefix }) {
    this.natsUrl = natsUrl;
    this.prefix = prefix;
    /** @type {Promise<import('@nats-io/transport-node').NatsConnection> | undefined} */
    this.connection = undefined;
  }

  async worstGroupBacklog() {
    this.connection ??= connectTo(this.natsUrl);
    const jsm = await jetstreamManager(await this.connection);
    const consumers = await jsm.consumers
      .list(checkoutStreamName(this.prefix))
      .next()
      .catch(() => []);
    /** @type {Map<string, number>} */
    const byGroup = new Map();
    for (const info of consumers) {
      const group = info.name.slice(this.prefix.length).replace(/__.*$/, '');
      byGroup.set(group, (byGroup.get(group) ?? 0) + info.num_pending + info.num_ack_pending);
    }
    return byGroup.size === 0 ? null : Math.max(...byGroup.values());
  }

  async close() {
    await (await this.connection)?.close();
  }
}

/**
 * The checkout stream's messages since `sinceMs`, read with an ordered consumer from that time; each
 * one's time on the bus is the time JetStream stored it.
 * @param {{ natsUrl: string, natsPrefix: string }} options
 * @param {number} sinceMs
 * @returns {Promise<Array<{ id: string, addedAt: number, raw: string }>>}
 */
export async function natsEntriesSince({ natsUrl, natsPrefix }, sinceMs) {
  const connection = await connectTo(natsUrl);
  try {
    const js = jetstream(connection);
    const consumer = await js.consumers.get(checkoutStreamName(natsPrefix), { opt_start_time: new Date(sinceMs).toISOString() });
    /** @type {Array<{ id: string, addedAt: number, raw: string }>} */
    const entries = [];
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 1_000, expires: 2_000 });
      let read = 0;
      let pending = 0;
      for await (const message of batch) {
        read += 1;
        pending = message.info.pending;
        const addedAt = Math.floor(message.info.timestampNanos / 1_000_000);
        entries.push({ id: `${addedAt}-${message.seq}`, addedAt, raw: message.string() });
      }
      if (read === 0 || pending === 0) return entries;
    }
  } finally {
    await connection.close();
  }
}
