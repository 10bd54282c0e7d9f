// @ts-check
import { request } from 'undici';

/**
 * @typedef {object} ApiAnswer
 * @property {number} status
 * @property {any} body parsed JSON, or the text when the answer is not JSON
 */

/**
 * One JSON call to a service of the system, outside the measured load (setup, checks, scrapes).
 * @param {string} url
 * @param {{ method?: 'GET' | 'POST', apiKey?: string, body?: unknown, dispatcher?: import('undici').Dispatcher, timeoutMs?: number }} [init]
 * @returns {Promise<ApiAnswer>}
 */
export async function callApi(url, { method = 'GET', apiKey, body, dispatcher, timeoutMs = 30_000 } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(dispatcher !== undefined && { dispatcher }),
  });
  const text = await res.body.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.statusCode, body: parsed };
}

/**
 * Whether a service answers its liveness probe.
 * @param {string} baseUrl
 */
export async function isUp(baseUrl) {
  return callApi(`${baseUrl}/health/live`, { timeoutMs: 2_000 }).then(
    (res) => res.status === 200,
    () => false,
  );
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls at once.
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} concurrency
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
export async function mapConcurrent(items, concurrency, fn) {
  /** @type {R[]} */
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(/** @type {T} */ (items[i]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
