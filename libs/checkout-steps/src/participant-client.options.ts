import type { AppConfig } from '@app/config';
import type { ParticipantName } from './participant.errors.js';

/** How a participant client reaches its service and how hard it tries. */
export interface ParticipantClientOptions {
  /** e.g. `http://127.0.0.1:3001`; a path prefix is kept. */
  baseUrl: string;
  /** Sent as `X-API-Key`. */
  apiKey: string;
  /** Deadline of one HTTP attempt. */
  timeoutMs: number;
  /** Extra attempts after the first for transient failures (never for refusals). */
  retries: number;
  /** Keep-alive connections of the pool. Default 64. */
  connections?: number;
  /** Exponential backoff between attempts. Default 50 ms doubling up to 1 s, with jitter. */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  /**
   * The circuit opens when more than `threshold` of the attempts over `samplingMs` failed (with at
   * least `minimumRps` attempts per second), and lets one call through after `halfOpenAfterMs`.
   * Default 50% over 10 s at 5 rps, half-open after 2 s.
   */
  breaker?: { threshold: number; samplingMs: number; minimumRps: number; halfOpenAfterMs: number };
}

const URL_OF: Record<ParticipantName, (config: AppConfig) => string> = {
  inventory: (config) => config.INVENTORY_URL,
  orders: (config) => config.ORDERS_URL,
  payments: (config) => config.PAYMENTS_URL,
};

/** The options of a participant's client as the configuration sets them. */
export function participantOptionsOf(config: AppConfig, service: ParticipantName, overrides: Partial<ParticipantClientOptions> = {}): ParticipantClientOptions {
  return {
    baseUrl: URL_OF[service](config),
    apiKey: config.INTERNAL_API_KEY,
    timeoutMs: config.PARTICIPANT_TIMEOUT_MS,
    retries: config.PARTICIPANT_RETRIES,
    ...overrides,
  };
}
