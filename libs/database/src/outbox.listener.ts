import pg from 'pg';

/** What an {@link OutboxListener} reports to its relay. */
export interface OutboxListenerEvents {
  /** A transaction that inserted outbox rows committed; `firstId` is the lowest id it inserted. */
  notified(firstId: bigint): void;
  /** Listening (again): notifications sent while nobody listened are lost, so the whole outbox is due. */
  listening(): void;
  /** The connection failed or was lost; the listener connects again by itself. */
  lost(error: unknown): void;
}

/** Waits before connecting again after `failures` failed tries in a row: from 100 ms, doubling, at most 5 s. */
const reconnectDelayMs = (failures: number): number => Math.min(5_000, 100 * 2 ** Math.max(0, failures - 1));

/**
 * Holds a connection of its own in `LISTEN` on an outbox's channel (see `outboxNotifyTrigger`),
 * so the relay wakes when a row commits instead of sweeping the table on a timer. A lost connection
 * is opened again with backoff; the only timer is that backoff, and only while disconnected.
 */
export class OutboxListener {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly events: OutboxListenerEvents,
  ) {}

  /** Whether notifications are being received now. */
  get isListening(): boolean {
    return this.client !== undefined;
  }

  /** Connects and listens; resolves once listening, or once the first try failed (it goes on trying). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retry = undefined;
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'outbox-listener' });
    let gone = false;
    const lose = (error: unknown): void => {
      if (gone) return;
      gone = true;
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.failures += 1;
      this.events.lost(error);
      this.retry = setTimeout(() => void this.connect(), reconnectDelayMs(this.failures));
    };
    client.on('error', lose);
    client.on('end', () => lose(new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.events.notified(firstIdOf(message.payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
    } catch (error) {
      lose(error);
      return;
    }
    if (gone) return;
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.events.listening();
  }
}

/** The id a notification carries; anything else (a hand-sent NOTIFY) asks for the whole outbox. */
function firstIdOf(payload: string | undefined): bigint {
  try {
    return payload === undefined || payload === '' ? 0n : BigInt(payload);
  } catch {
    return 0n;
  }
}
