import { performance } from 'node:perf_hooks';
import {
  ExponentialBackoff,
  type IPolicy,
  SamplingBreaker,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { Pool } from 'undici';
import { DomainError } from '@app/contracts';
import { currentCorrelationId } from '@app/observability';
import { type CallOutcome, circuitState, externalCallDuration } from './participant-call.metrics.js';
import type { ParticipantClientOptions } from './participant-client.options.js';
import {
  KeyRefusedError,
  type ParticipantName,
  RetriableResponseError,
  TransientStepError,
  isKeyRefusal,
  isRetriableStatus,
  refusalOf,
} from './participant.errors.js';

type Method = 'GET' | 'POST';

const DEFAULT_BREAKER = { threshold: 0.5, samplingMs: 10_000, minimumRps: 5, halfOpenAfterMs: 2_000 };
const DEFAULT_BACKOFF = { initialDelayMs: 50, maxDelayMs: 1_000 };

/** A refusal is an answer, not a fault: it is neither retried nor counted against the circuit. */
const isFault = (error: unknown): boolean => !(error instanceof DomainError);
/**
 * A refused key says nothing about the participant's load: counting it would open the circuit, and
 * the open circuit would hide the reason behind a generic "unavailable".
 */
const isOverloadSign = (error: unknown): boolean => isFault(error) && !(error instanceof KeyRefusedError);

/**
 * JSON over HTTP to one participant, on a keep-alive pool. Every call goes through the same
 * policy: retry with exponential backoff (faults only) around a circuit breaker around a per-attempt
 * timeout. A 4xx becomes a {@link DomainError} at once, except a refused key (401, 403), which is
 * a fault; faults that outlast the retries become a {@link TransientStepError}.
 */
export class ParticipantHttp {
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly policy: IPolicy;
  private readonly headers: Record<string, string>;
  private readonly jsonHeaders: Record<string, string>;
  private readonly durations = externalCallDuration();

  constructor(
    readonly service: ParticipantName,
    options: ParticipantClientOptions,
  ) {
    const url = new URL(options.baseUrl);
    this.pool = new Pool(url.origin, { connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.headers = { 'x-api-key': options.apiKey, accept: 'application/json' };
    this.jsonHeaders = { ...this.headers, 'content-type': 'application/json' };

    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    const sampling = options.breaker ?? DEFAULT_BREAKER;
    const breaker = circuitBreaker(handleWhen(isOverloadSign), {
      halfOpenAfter: sampling.halfOpenAfterMs,
      breaker: new SamplingBreaker({ threshold: sampling.threshold, duration: sampling.samplingMs, minimumRps: sampling.minimumRps }),
    });
    const state = circuitState();
    state.set({ service }, breaker.state);
    breaker.onStateChange((value) => state.set({ service }, value));
    this.policy = wrap(
      // An open circuit fails fast; retrying it at once would only wait out the backoff for nothing.
      retry(
        handleWhen((error) => isFault(error) && !isBrokenCircuitError(error)),
        {
          maxAttempts: options.retries,
          backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }),
        },
      ),
      breaker,
      // Not aborting on return spares every successful call the creation of an AbortError.
      timeout(options.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
    );
  }

  /**
   * Calls `method path` with an optional JSON body and returns the parsed 2xx answer.
   * @throws DomainError the participant refused (4xx), with its stable code.
   * @throws TransientStepError every attempt failed for a transient reason.
   */
  async call<T>(operation: string, method: Method, path: string, body?: unknown): Promise<T> {
    let attempts = 0;
    try {
      // A signal per call: cockatiel's default one is shared by all calls, and Node warns once
      // more than ten concurrent calls listen to it.
      return await this.policy.execute(({ signal }) => {
        attempts += 1;
        return this.attempt<T>(operation, method, path, body, signal);
      }, new AbortController().signal);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new TransientStepError(this.service, operation, attempts, error);
    }
  }

  /** Closes the keep-alive connections once the calls in flight are done. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async attempt<T>(operation: string, method: Method, path: string, body: unknown, signal: AbortSignal): Promise<T> {
    const started = performance.now();
    let outcome: CallOutcome = 'error';
    try {
      const response = await this.pool.request({
        method,
        path: this.pathPrefix + path,
        headers: withCorrelationHeader(body === undefined ? this.headers : this.jsonHeaders),
        body: body === undefined ? null : JSON.stringify(body),
        signal,
      });
      const text = await response.body.text();
      if (response.statusCode < 300) {
        // An unreadable success is a fault like any other: the retry asks again, idempotently.
        const payload = (text === '' ? undefined : JSON.parse(text)) as T;
        outcome = 'ok';
        return payload;
      }
      const payload = parseLeniently(text);
      if (isRetriableStatus(response.statusCode)) throw new RetriableResponseError(response.statusCode, payload);
      if (isKeyRefusal(response.statusCode)) throw new KeyRefusedError(this.service, response.statusCode);
      outcome = 'refused';
      throw refusalOf(this.service, response.statusCode, payload);
    } catch (error) {
      if (signal.aborted) outcome = 'timeout';
      throw error;
    } finally {
      this.durations.observe({ service: this.service, operation, outcome }, (performance.now() - started) / 1_000);
    }
  }
}

/** The checkout being worked on travels with the call, so the participant's log lines carry its id too. */
function withCorrelationHeader(headers: Record<string, string>): Record<string, string> {
  const correlationId = currentCorrelationId();
  return correlationId === undefined ? headers : { ...headers, 'x-correlation-id': correlationId };
}

/** An error body as JSON when it is JSON (ours always are), else as the text a proxy sent. */
function parseLeniently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
