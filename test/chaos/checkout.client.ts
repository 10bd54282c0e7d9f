import { Agent, request } from 'undici';
import type { CheckoutRequest } from '@app/contracts';
import { TEST_API_KEY } from '@app/testing';

export type Style = 'orchestrated' | 'choreographed';

/** How a checkout ended, in either style; `parked` is an orchestrated saga in COMPENSATION_ECHOUEE. */
export type Outcome = 'succeeded' | 'failed' | 'parked';

/** The answer to a start: the checkout's id once the system took it, or what came back instead. */
export type StartAnswer = { accepted: true; id: string; status: number } | { accepted: false; status: number | string; retriable: boolean };

const ORCHESTRATED_OUTCOMES: Record<string, Outcome> = { SAGA_TERMINEE: 'succeeded', SAGA_ANNULEE: 'failed', COMPENSATION_ECHOUEE: 'parked' };
const CHOREOGRAPHED_OUTCOMES: Record<string, Outcome> = { SUCCEEDED: 'succeeded', FAILED: 'failed' };

/** A 5xx, a timeout or a cut connection leaves the start unknown: the client tries again with its key. */
const isRetriableStatus = (status: number): boolean => status >= 500 || status === 429;

/**
 * The two entry points of the checkout and their status queries, as a client of the system calls
 * them: with an API key and an `Idempotency-Key` that makes a retried start return the first checkout.
 */
export class CheckoutClient {
  private readonly agent = new Agent({ connections: 256, keepAliveTimeout: 10_000, headersTimeout: 60_000, bodyTimeout: 60_000 });

  constructor(private readonly urls: { orchestrator: string; checkout: string }) {}

  /** Orchestrated: the saga runs within the request (201, 409, or 202 when it is running elsewhere). Choreographed: 202 at once. */
  async start(style: Style, idempotencyKey: string, body: CheckoutRequest): Promise<StartAnswer> {
    const url = style === 'orchestrated' ? `${this.urls.orchestrator}/api/saga/checkout` : `${this.urls.checkout}/checkout/choreo`;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY, 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
      const answer = (await response.body.json().catch(() => ({}))) as { sagaId?: string; checkoutId?: string };
      const id = style === 'orchestrated' ? answer.sagaId : answer.checkoutId;
      if ([201, 202, 409].includes(response.statusCode) && id !== undefined) return { accepted: true, id, status: response.statusCode };
      return { accepted: false, status: response.statusCode, retriable: isRetriableStatus(response.statusCode) };
    } catch (error) {
      return { accepted: false, status: (error as { code?: string }).code ?? String(error), retriable: true };
    }
  }

  /** Where the checkout stands: its outcome once terminal, undefined while it runs or cannot be asked. */
  async outcomeOf(style: Style, id: string): Promise<Outcome | undefined> {
    const url = style === 'orchestrated' ? `${this.urls.orchestrator}/api/saga/${id}/status` : `${this.urls.checkout}/checkout/${id}`;
    try {
      const response = await request(url, { dispatcher: this.agent, headers: { 'x-api-key': TEST_API_KEY } });
      const body = (await response.body.json().catch(() => ({}))) as { state?: string; status?: string };
      if (response.statusCode !== 200) return undefined;
      return style === 'orchestrated' ? ORCHESTRATED_OUTCOMES[body.state ?? ''] : CHOREOGRAPHED_OUTCOMES[body.status ?? ''];
    } catch {
      return undefined;
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
