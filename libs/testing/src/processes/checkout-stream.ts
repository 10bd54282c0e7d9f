import { type AnyEvent, type EventEnvelope, STREAMS } from '@app/contracts';
import { eventually } from '../eventually.js';
import { type BusReadConfig, type StreamSource, checkoutSource, redisSource } from './checkout-stream.sources.js';

/** How a checkout ends on the bus. */
export type TerminalEvent = EventEnvelope<'CheckoutSucceeded'> | EventEnvelope<'CheckoutFailed'>;

export const isTerminal = (event: AnyEvent): event is TerminalEvent => event.type === 'CheckoutSucceeded' || event.type === 'CheckoutFailed';

const PAGE = 1_000;

/**
 * The checkout stream as a test reads it: every entry in order (XRANGE on Redis, message by
 * sequence on JetStream) and no consumer group, so reading it changes nothing for the workers. Entries are indexed by checkout (correlation id),
 * duplicates included: a redelivered event appears once per entry.
 */
export class CheckoutStream {
  readonly key: string;
  private readonly source: StreamSource;
  private readonly byCheckout = new Map<string, AnyEvent[]>();
  private readonly firstTerminals = new Map<string, TerminalEvent>();
  private cursor: string | undefined;
  private reading: Promise<void> = Promise.resolve();

  /** The Redis checkout stream under `keyPrefix`; {@link CheckoutStream.of} reads the configured bus's. */
  constructor(redisUrl: string, keyPrefix: string, source?: StreamSource) {
    this.source = source ?? redisSource(redisUrl, `${keyPrefix}${STREAMS.checkout}`);
    this.key = this.source.key;
  }

  /** The checkout stream of the bus the configuration names (`BUS`). */
  static of(config: BusReadConfig): CheckoutStream {
    return new CheckoutStream(config.REDIS_URL, config.REDIS_KEY_PREFIX, checkoutSource(config));
  }

  /** Every event of the checkout so far, in stream order. */
  async eventsOf(checkoutId: string): Promise<AnyEvent[]> {
    await this.refresh();
    return [...(this.byCheckout.get(checkoutId) ?? [])];
  }

  /** Every event of the stream so far, checkout by checkout. */
  async all(): Promise<AnyEvent[]> {
    await this.refresh();
    return [...this.byCheckout.values()].flat();
  }

  /** The checkouts that have ended so far, each with its first terminal event. */
  async ended(): Promise<ReadonlyMap<string, TerminalEvent>> {
    await this.refresh();
    return new Map(this.firstTerminals);
  }

  /** The checkout's first terminal event, once there is one (fails with the events seen at the deadline). */
  terminalOf(checkoutId: string, { timeoutMs = 15_000 } = {}): Promise<TerminalEvent> {
    return eventually(
      async () => {
        await this.refresh();
        const terminal = this.firstTerminals.get(checkoutId);
        if (terminal !== undefined) return terminal;
        const seen = (this.byCheckout.get(checkoutId) ?? []).map((e) => e.type).join(', ');
        throw new Error(`Checkout ${checkoutId} has no terminal event yet: ${seen || 'no event'}`);
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** The first terminal event of each checkout, once every one has one. */
  async terminalsOf(checkoutIds: readonly string[], { timeoutMs = 30_000 } = {}): Promise<Map<string, TerminalEvent>> {
    const deadline = Date.now() + timeoutMs;
    const terminals = new Map<string, TerminalEvent>();
    for (const checkoutId of checkoutIds) terminals.set(checkoutId, await this.terminalOf(checkoutId, { timeoutMs: Math.max(0, deadline - Date.now()) }));
    return terminals;
  }

  async close(): Promise<void> {
    await this.reading.catch(() => undefined);
    await this.source.close();
  }

  /** Reads what was appended since the last read; concurrent callers share one read at a time. */
  private refresh(): Promise<void> {
    // A failed read fails its callers only, not every read after it.
    this.reading = this.reading.catch(() => undefined).then(() => this.readNew());
    return this.reading;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const { entries, cursor, more } = await this.source.read(this.cursor, PAGE);
      this.cursor = cursor;
      for (const { envelope } of entries) {
        if (envelope === null) continue;
        const events = this.byCheckout.get(envelope.correlationId) ?? [];
        events.push(envelope);
        this.byCheckout.set(envelope.correlationId, events);
        if (isTerminal(envelope) && !this.firstTerminals.has(envelope.correlationId)) this.firstTerminals.set(envelope.correlationId, envelope);
      }
      if (!more) return;
    }
  }
}
