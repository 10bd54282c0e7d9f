// @ts-check
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/**
 * What became of one checkout the bench sent. Times are performance.now() milliseconds.
 * @typedef {object} CheckoutResult
 * @property {import('./outcome.mix.mjs').PlannedOutcome} planned
 * @property {'succeeded' | 'failed' | 'error' | 'unfinished'} outcome
 * @property {number} sentAt
 * @property {number} [doneAt] when the terminal state was observed
 * @property {number} [ackMs] choreography: request sent -> 202 received
 * @property {string} [checkoutId]
 * @property {string} [sagaId]
 * @property {string} [state] orchestrated: the saga state answered
 * @property {string} [failedStep]
 * @property {string} [code]
 * @property {string} [error] why it is an error (status and body, or the network error)
 */

/**
 * @typedef {object} CheckoutDriver
 * @property {import('./bench.options.mjs').Style} style
 * @property {number} inFlight checkouts sent and not yet in a terminal state
 * @property {(body: import('./outcome.mix.mjs').CheckoutRequest, planned: import('./outcome.mix.mjs').PlannedOutcome, sentAt: number) => Promise<CheckoutResult>} run
 * @property {() => void} abandon gives up on the checkouts still waited for
 * @property {() => Promise<void>} close
 */

const TIMEOUT_MS = 60_000;

/** @param {string} baseUrl @param {number} connections */
const poolOf = (baseUrl, connections) =>
  new Pool(baseUrl, { connections, pipelining: 1, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, keepAliveTimeout: 30_000 });

/**
 * @param {Pool} pool
 * @param {string} path
 * @param {string} apiKey
 * @param {unknown} body
 */
async function post(pool, path, apiKey, body) {
  const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify(body) });
  const text = await res.body.text();
  /** @type {any} */
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.statusCode, json };
}

/** @param {number} status @param {unknown} body */
const errorOf = (status, body) => `HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`;

/**
 * A driver counting its checkouts in flight; a checkout that throws (network error, timeout) is an error result.
 * @param {CheckoutDriver['style']} style
 * @param {Pool} pool
 * @param {CheckoutDriver['run']} attempt
 * @param {() => void} abandon
 * @returns {CheckoutDriver}
 */
function countingDriver(style, pool, attempt, abandon) {
  const driver = {
    style,
    inFlight: 0,
    /** @type {CheckoutDriver['run']} */
    async run(body, planned, sentAt) {
      driver.inFlight += 1;
      try {
        return await attempt(body, planned, sentAt);
      } catch (error) {
        return { planned, outcome: 'error', sentAt, doneAt: performance.now(), error: String(error) };
      } finally {
        driver.inFlight -= 1;
      }
    },
    abandon,
    close: () => pool.close(),
  };
  return driver;
}

/**
 * The orchestrated style: `POST /api/saga/checkout` answers once the saga is terminal
 * (201 SAGA_TERMINEE, 409 SAGA_ANNULEE), so the answer is the terminal state.
 * @param {{ baseUrl: string, apiKey: string, connections: number }} options
 * @returns {CheckoutDriver}
 */
export function orchestratedDriver({ baseUrl, apiKey, connections }) {
  const pool = poolOf(baseUrl, connections);
  /** @type {CheckoutDriver['run']} */
  const attempt = async (body, planned, sentAt) => {
    const { status, json } = await post(pool, '/api/saga/checkout', apiKey, body);
    const doneAt = performance.now();
    const ids = { checkoutId: json?.checkoutId, sagaId: json?.sagaId, state: json?.state };
    if (status === 201 && json?.state === 'SAGA_TERMINEE') return { planned, outcome: 'succeeded', sentAt, doneAt, ...ids };
    if (status === 409 && json?.state === 'SAGA_ANNULEE')
      return { planned, outcome: 'failed', sentAt, doneAt, ...ids, failedStep: json.failedStep, code: json.code };
    return { planned, outcome: 'error', sentAt, doneAt, ...ids, error: errorOf(status, json) };
  };
  // Nothing to give up on: every checkout ends with its HTTP answer.
  return countingDriver('orchestrated', pool, attempt, () => undefined);
}

/**
 * The choreographed style: `POST /checkout/choreo` answers 202 {checkoutId} at once; the checkout
 * is over when its CheckoutSucceeded or CheckoutFailed is on the stream, read by the watcher. The
 * 202's own latency is the acknowledgement latency.
 * @param {{ baseUrl: string, apiKey: string, connections: number, watcher: import('./terminal-event.watcher.mjs').TerminalEventWatcher }} options
 * @returns {CheckoutDriver}
 */
export function choreographedDriver({ baseUrl, apiKey, connections, watcher }) {
  const pool = poolOf(baseUrl, connections);
  /** @type {CheckoutDriver['run']} */
  const attempt = async (body, planned, sentAt) => {
    const { status, json } = await post(pool, '/checkout/choreo', apiKey, body);
    const ackMs = performance.now() - sentAt;
    const checkoutId = json?.checkoutId;
    if (status !== 202 || typeof checkoutId !== 'string')
      return { planned, outcome: 'error', sentAt, doneAt: performance.now(), ackMs, error: errorOf(status, json) };
    const terminal = await watcher.terminalOf(checkoutId);
    if (terminal === undefined) return { planned, outcome: 'unfinished', sentAt, ackMs, checkoutId };
    const doneAt = Math.max(terminal.at, sentAt);
    if (terminal.type === 'CheckoutSucceeded') return { planned, outcome: 'succeeded', sentAt, doneAt, ackMs, checkoutId };
    return { planned, outcome: 'failed', sentAt, doneAt, ackMs, checkoutId, failedStep: terminal.payload['failedStep'], code: terminal.payload['code'] };
  };
  return countingDriver('choreographed', pool, attempt, () => watcher.abandonWaiting());
}
