import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type BackendRoute, type BackendRoutes, backendRoutes } from './backend.routes.js';

/**
 * A read answers at once; an action may take as long as the app takes to settle it: a forced
 * compensation retries a participant that is down for about 40 s before it parks the saga.
 */
const TIMEOUT_MS = { GET: 10_000, POST: 60_000 } as const;

/** An app answered with an error, or could not be reached (status 502): shown to the person as it is. */
export class BackendError extends Error {
  constructor(
    readonly status: number,
    readonly route: BackendRoute,
    readonly body: unknown,
  ) {
    super(`${route.method} ${new URL(route.url).pathname} answered ${status}: ${BackendError.describe(body)}`);
    this.name = 'BackendError';
  }

  /** The app's own words: its `code` and `message` when it gave them. */
  static describe(body: unknown): string {
    if (typeof body === 'string') return body.slice(0, 500);
    if (typeof body !== 'object' || body === null) return String(body);
    const { code, message } = body as { code?: unknown; message?: unknown };
    const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : JSON.stringify(body).slice(0, 500);
    return typeof code === 'string' ? `${code}: ${text}` : text;
  }
}

/** Calls the system's apps with the person's API key (from the session), never with a key of its own. */
@Injectable()
export class BackendClient {
  readonly routes: BackendRoutes;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.routes = backendRoutes(config);
  }

  /** The JSON answer of a 2xx; anything else throws a {@link BackendError}. */
  async call<T>(route: BackendRoute, apiKey: string, body?: unknown): Promise<T> {
    const { status, body: answer } = await this.send(route, apiKey, body);
    if (status >= 200 && status < 300) return answer as T;
    throw new BackendError(status, route, answer);
  }

  /** The status and body whatever the status (a 409 of a compensated saga is an outcome to show, not a failure). */
  async send(route: BackendRoute, apiKey: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { ...extraHeaders, 'X-API-Key': apiKey };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(route.url, {
        method: route.method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS[route.method]),
      });
    } catch (error) {
      throw new BackendError(502, route, `unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: the text itself is the answer.
    }
    return { status: res.status, body: parsed };
  }

  /** A public /metrics exposition, or undefined when the app does not answer. */
  async metrics(url: string): Promise<string | undefined> {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    return res?.ok === true ? res.text() : undefined;
  }
}
