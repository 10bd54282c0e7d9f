// @ts-check
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';

export const CHECKOUT_STREAM = 'ecommerce.checkout.events';
const TERMINAL_TYPES = new Set(['CheckoutSucceeded', 'CheckoutFailed']);

/**
 * @typedef {object} TerminalEvent
 * @property {'CheckoutSucceeded' | 'CheckoutFailed'} type
 * @property {string} eventId
 * @property {Record<string, any>} payload
 * @property {number} at when the bench read it (performance.now())
 */

/**
 * @typedef {object} TerminalRecord
 * @property {TerminalEvent} first
 * @property {Set<string>} types every terminal type seen for the checkout
 * @property {Set<string>} eventIds
 */

/**
 * Reads the terminal events of the choreography off `ecommerce.checkout.events` with a blocking
 * XREAD (no consumer group: the bench only watches and must not take entries from a worker), and
 * hands each to whoever waits for that checkout. A terminal event can be read before the 202 of its
 * checkout is: it is kept, with the time it was read, until someone asks.
 */
export class TerminalEventWatcher {
  /**
   * @param {{ redisUrl: string, keyPrefix: string, blockMs?: number }} options
   */
  constructor({ redisUrl, keyPrefix, blockMs = 500 }) {
    this.key = keyPrefix + CHECKOUT_STREAM;
    this.blockMs = blockMs;
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    /** @type {Map<string, TerminalRecord>} */
    this.terminals = new Map();
    /** @type {Map<string, (event: TerminalEvent | undefined) => void>} */
    this.waiters = new Map();
    this.stopped = false;
    this.entriesRead = 0;
    /** @type {Promise<void> | undefined} */
    this.loop = undefined;
  }

  /** Starts reading after the stream's current last entry, so only this run's events are seen. */
  async start() {
    await this.redis.connect();
    const last = /** @type {[string, string[]][]} */ (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', 1));
    let lastId = last[0]?.[0] ?? '0-0';
    this.loop = (async () => {
      while (!this.stopped) {
        const reply = /** @type {[string, [string, string[]][]][] | null} */ (
          await this.redis.xread('COUNT', 2_000, 'BLOCK', this.blockMs, 'STREAMS', this.key, lastId)
        );
        const at = performance.now();
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            this.entriesRead += 1;
            this.accept(fields, at);
          }
        }
      }
    })();
  }

  /**
   * The terminal event of `checkoutId`, now or when it is read; undefined if the watcher is stopped first.
   * @param {string} checkoutId
   * @returns {Promise<TerminalEvent | undefined>}
   */
  terminalOf(checkoutId) {
    const known = this.terminals.get(checkoutId);
    if (known !== undefined) return Promise.resolve(known.first);
    return new Promise((resolve) => this.waiters.set(checkoutId, resolve));
  }

  /** @param {string} checkoutId */
  recordOf(checkoutId) {
    return this.terminals.get(checkoutId);
  }

  /** Gives up on every checkout still waited for (they count as unfinished). */
  abandonWaiting() {
    for (const resolve of this.waiters.values()) resolve(undefined);
    this.waiters.clear();
  }

  async stop() {
    this.stopped = true;
    this.abandonWaiting();
    await this.loop?.catch(() => undefined);
    this.redis.disconnect();
  }

  /**
   * @param {string[]} fields
   * @param {number} at
   */
  accept(fields, at) {
    /** @type {string | undefined} */
    let type;
    /** @type {string | undefined} */
    let raw;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'type') type = fields[i + 1];
      else if (fields[i] === 'event') raw = fields[i + 1];
    }
    // Most entries are intermediate steps: skip them without parsing (by their type field when they have one).
    if (raw === undefined || (type !== undefined ? !TERMINAL_TYPES.has(type) : !raw.includes('"Checkout'))) return;
    const envelope = JSON.parse(raw);
    if (!TERMINAL_TYPES.has(envelope.type)) return;
    const checkoutId = envelope.payload?.checkoutId ?? envelope.correlationId;
    const event = { type: envelope.type, eventId: envelope.eventId, payload: envelope.payload, at };
    const record = this.terminals.get(checkoutId);
    if (record !== undefined) {
      record.types.add(event.type);
      record.eventIds.add(event.eventId);
      return;
    }
    this.terminals.set(checkoutId, { first: event, types: new Set([event.type]), eventIds: new Set([event.eventId]) });
    const waiter = this.waiters.get(checkoutId);
    if (waiter !== undefined) {
      this.waiters.delete(checkoutId);
      waiter(event);
    }
  }
}
