import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { CheckoutRequest } from '@app/contracts';
import { type Intent, orderOf } from './catalog.js';
import type { CheckoutClient, Outcome, Style } from './checkout.client.js';

/** A checkout the load started, in either style: once accepted it has an id, and must end terminal. */
export interface StartedCheckout {
  style: Style;
  idempotencyKey: string;
  intent: Intent;
  request: CheckoutRequest;
  /** The saga id (orchestrated) or checkout id (choreographed), once an answer carried it. */
  id?: string;
  /** What the last unanswered start got, when none was answered. */
  lastError?: string;
  /** Starts sent, retries with the same key included. */
  attempts: number;
  outcome?: Outcome;
}

class NotAccepted extends Error {
  constructor(
    readonly status: number | string,
    readonly retriable: boolean,
  ) {
    super(`start not accepted: ${status}`);
  }
}

/** Starts are retried with their key for about a minute: longer than any fault lasts, shorter than a run. */
const startRetry = retry(
  handleWhen((error) => error instanceof NotAccepted && error.retriable),
  { maxAttempts: 40, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) },
);

/** More starts than this unanswered at once means the system has stopped answering: later ticks are shed, not queued. */
const MAX_IN_FLIGHT = 600;
const TICK_MS = 10;

/**
 * Open-model load of both styles at a steady rate: a checkout starts on schedule whether or not
 * the earlier ones were answered, as real clients arrive. Styles alternate and each walks the whole
 * mix of {@link orderOf}. A start that gets no answer is retried with its Idempotency-Key, as a
 * client would, so every checkout the system took is known by its id.
 */
export class Load {
  readonly checkouts: StartedCheckout[] = [];
  /** Starts skipped because too many were unanswered. */
  shed = 0;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private begunAt = 0;
  private scheduled = 0;

  constructor(
    private readonly client: CheckoutClient,
    private readonly rate: number,
    /** Makes idempotency keys unique across runs and phases. */
    private readonly keyPrefix: string,
    /** Numbers checkouts across phases, so the mix goes on where the last phase stopped. */
    private readonly sequence: { next: number },
  ) {}

  start(): void {
    this.begunAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops starting checkouts and waits until every start was answered or given up. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  get unanswered(): number {
    return this.inFlight.size;
  }

  private tick(): void {
    const due = Math.floor(((Date.now() - this.begunAt) / 1_000) * this.rate);
    for (; this.scheduled < due; this.scheduled += 1) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        this.shed += 1;
        continue;
      }
      const n = this.sequence.next++;
      const { intent, request } = orderOf(Math.floor(n / 2));
      const checkout: StartedCheckout = {
        style: n % 2 === 0 ? 'orchestrated' : 'choreographed',
        idempotencyKey: `${this.keyPrefix}-${n}`,
        intent,
        request,
        attempts: 0,
      };
      this.checkouts.push(checkout);
      const run = this.run(checkout).finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  private async run(checkout: StartedCheckout): Promise<void> {
    try {
      checkout.id = await startRetry.execute(async () => {
        checkout.attempts += 1;
        const answer = await this.client.start(checkout.style, checkout.idempotencyKey, checkout.request);
        if (!answer.accepted) throw new NotAccepted(answer.status, answer.retriable);
        return answer.id;
      });
    } catch (error) {
      checkout.lastError = error instanceof NotAccepted ? String(error.status) : String(error);
    }
  }
}
