// @ts-check
import { setTimeout as sleep } from 'node:timers/promises';
import { callApi, mapConcurrent } from './api.client.mjs';

/**
 * @typedef {object} InvariantCheck
 * @property {import('./bench.options.mjs').Style} style
 * @property {string} name
 * @property {boolean} passed
 * @property {number} checked
 * @property {string[]} violations the first few, enough to start looking
 * @property {string} [note]
 */

/**
 * @typedef {object} StyleUnderCheck
 * @property {import('./bench.options.mjs').Style} style
 * @property {import('./checkout.drivers.mjs').CheckoutResult[]} results
 * @property {import('./bench-stock.setup.mjs').BenchStock} stock
 * @property {import('./terminal-event.watcher.mjs').TerminalEventWatcher} [watcher]
 */

const CONCURRENCY = 16;
const MAX_EXAMPLES = 10;
/** The choreography's status comes from a read model that follows the stream: give it time to catch up. */
const READ_MODEL_CATCH_UP_MS = 15_000;

/**
 * @param {StyleUnderCheck['style']} style
 * @param {string} name
 * @param {number} checked
 * @param {string[]} violations
 * @param {string} [note]
 * @returns {InvariantCheck}
 */
const checkOf = (style, name, checked, violations, note) => ({
  style,
  name,
  passed: violations.length === 0,
  checked,
  violations: violations.slice(0, MAX_EXAMPLES),
  ...(violations.length > MAX_EXAMPLES && { note: `${violations.length} violations in all` }),
  ...(note !== undefined && violations.length <= MAX_EXAMPLES && { note }),
});

/** Picks up to `n` items spread over the whole run (early, middle and late checkouts alike). @template T @param {T[]} items @param {number} n */
function spread(items, n) {
  if (items.length <= n) return items;
  const stride = items.length / n;
  return Array.from({ length: n }, (_, i) => /** @type {T} */ (items[Math.floor(i * stride)]));
}

/**
 * Checks the invariants of the architecture page on what the run left behind, through the
 * services' own HTTP APIs: stock conservation for the bench SKUs, one terminal state per checkout,
 * nothing held for a failed checkout, everything in place for a succeeded one.
 * @param {StyleUnderCheck} subject
 * @param {import('./bench.options.mjs').BenchOptions} options
 * @returns {Promise<InvariantCheck[]>}
 */
export async function checkInvariants(subject, options) {
  return [
    await stockConservation(subject, options),
    await oneTerminalState(subject, options),
    await failedHoldNothing(subject, options),
    await succeededAreComplete(subject, options),
  ];
}

/** @param {StyleUnderCheck} subject @param {import('./bench.options.mjs').BenchOptions} options */
async function stockConservation({ style, results, stock }, { inventoryUrl, apiKey }) {
  const sold = new Map();
  for (const r of results) {
    if (r.outcome === 'succeeded') sold.set(stock.skus.ok, (sold.get(stock.skus.ok) ?? 0) + 1);
  }
  const violations = [];
  for (const [sku, initial] of Object.entries(stock.initial)) {
    const res = await callApi(`${inventoryUrl}/inventory/products/${sku}`, { apiKey });
    if (res.status !== 200) {
      violations.push(`${sku}: HTTP ${res.status}`);
      continue;
    }
    const { available, reserved } = res.body;
    const soldUnits = sold.get(sku) ?? 0;
    if (available + reserved + soldUnits !== initial) {
      violations.push(`${sku}: initial ${initial} != available ${available} + reserved ${reserved} + sold ${soldUnits}`);
    }
    if (reserved !== 0) violations.push(`${sku}: ${reserved} units still reserved once every checkout is over`);
    if (available < 0) violations.push(`${sku}: available ${available} below 0`);
  }
  return checkOf(style, 'stock conservation (initial = available + reserved + sold; nothing left reserved)', Object.keys(stock.initial).length, violations);
}

/** @param {StyleUnderCheck} subject @param {import('./bench.options.mjs').BenchOptions} options */
async function oneTerminalState({ style, results, watcher }, options) {
  const violations = results
    .filter((r) => r.outcome === 'error' || r.outcome === 'unfinished')
    .map((r) => `${r.checkoutId ?? '(no id)'}: ${r.outcome}${r.error === undefined ? '' : ` ${r.error}`}`);
  let duplicates = 0;
  if (watcher !== undefined) {
    for (const r of results) {
      const record = r.checkoutId === undefined ? undefined : watcher.recordOf(r.checkoutId);
      if (record === undefined) continue;
      if (record.types.size > 1) violations.push(`${r.checkoutId}: both ${[...record.types].join(' and ')} on the stream`);
      if (record.eventIds.size > 1) duplicates += 1;
    }
  }
  const ended = results.filter((r) => r.outcome === 'succeeded' || r.outcome === 'failed');
  const sample = spread(ended, options.verifySuccesses);
  violations.push(...(style === 'orchestrated' ? await sagaStatesAgree(sample, options) : await checkoutStatusesAgree(sample, options)));
  const where = style === 'orchestrated' ? 'GET /api/saga/:id/status' : 'GET /checkout/:id';
  return checkOf(
    style,
    'one terminal state per checkout',
    results.length,
    violations,
    `${sample.length} of ${ended.length} terminal states read back with ${where}` +
      (duplicates > 0 ? `; ${duplicates} checkouts had a terminal event published twice under different ids` : ''),
  );
}

/** @param {import('./checkout.drivers.mjs').CheckoutResult[]} sample @param {import('./bench.options.mjs').BenchOptions} options */
async function sagaStatesAgree(sample, { orchestratorUrl, apiKey }) {
  const answers = await mapConcurrent(sample, CONCURRENCY, async (r) => {
    const res = await callApi(`${orchestratorUrl}/api/saga/${r.sagaId}/status`, { apiKey });
    if (res.status !== 200) return `saga ${r.sagaId}: HTTP ${res.status}`;
    if (res.body.terminal !== true || res.body.state !== r.state) return `saga ${r.sagaId}: answered ${r.state}, now ${res.body.state}`;
    return undefined;
  });
  return answers.filter((a) => a !== undefined);
}

/** @param {import('./checkout.drivers.mjs').CheckoutResult[]} sample @param {import('./bench.options.mjs').BenchOptions} options */
async function checkoutStatusesAgree(sample, { checkoutUrl, apiKey }) {
  const deadline = Date.now() + READ_MODEL_CATCH_UP_MS;
  let pending = sample;
  /** @type {string[]} */
  let violations = [];
  for (;;) {
    const answers = await mapConcurrent(pending, CONCURRENCY, async (r) => {
      const res = await callApi(`${checkoutUrl}/checkout/${r.checkoutId}`, { apiKey });
      const expected = r.outcome === 'succeeded' ? 'SUCCEEDED' : 'FAILED';
      return res.status === 200 && res.body.status === expected
        ? undefined
        : `checkout ${r.checkoutId}: ended ${expected}, status says ${res.status === 200 ? res.body.status : `HTTP ${res.status}`}`;
    });
    pending = pending.filter((_, i) => answers[i] !== undefined);
    violations = answers.filter((a) => a !== undefined);
    if (pending.length === 0 || Date.now() > deadline) return violations;
    await sleep(250);
  }
}

/**
 * @param {string} checkoutId
 * @param {import('./bench.options.mjs').BenchOptions} options
 */
async function participantStateOf(checkoutId, { inventoryUrl, ordersUrl, paymentsUrl, apiKey }) {
  const [reservation, orders, authorization] = await Promise.all([
    callApi(`${inventoryUrl}/inventory/reservations/${checkoutId}`, { apiKey }),
    callApi(`${ordersUrl}/orders?checkoutId=${encodeURIComponent(checkoutId)}`, { apiKey }),
    callApi(`${paymentsUrl}/payments/authorizations/${checkoutId}`, { apiKey }),
  ]);
  return {
    reservation: reservation.status === 404 ? 'none' : reservation.status === 200 ? String(reservation.body.status) : `HTTP ${reservation.status}`,
    orders: orders.status === 200 ? /** @type {{ status: string }[]} */ (orders.body).map((o) => o.status) : [`HTTP ${orders.status}`],
    authorization: authorization.status === 404 ? 'none' : authorization.status === 200 ? String(authorization.body.status) : `HTTP ${authorization.status}`,
  };
}

/** @param {StyleUnderCheck} subject @param {import('./bench.options.mjs').BenchOptions} options */
async function failedHoldNothing({ style, results }, options) {
  const failed = results.filter((r) => r.outcome === 'failed' && r.checkoutId !== undefined);
  const answers = await mapConcurrent(failed, CONCURRENCY, async (r) => {
    const state = await participantStateOf(/** @type {string} */ (r.checkoutId), options);
    const live = [];
    if (!['none', 'RELEASED'].includes(state.reservation)) live.push(`reservation ${state.reservation}`);
    const liveOrders = state.orders.filter((s) => s !== 'CANCELLED');
    if (liveOrders.length > 0) live.push(`orders ${liveOrders.join(',')}`);
    if (!['none', 'DECLINED', 'VOIDED'].includes(state.authorization)) live.push(`authorization ${state.authorization}`);
    return live.length === 0 ? undefined : `${r.checkoutId} (failed at ${r.failedStep}): ${live.join('; ')}`;
  });
  return checkOf(
    style,
    'failed checkouts hold no reservation, order or authorization',
    failed.length,
    answers.filter((a) => a !== undefined),
  );
}

/** @param {StyleUnderCheck} subject @param {import('./bench.options.mjs').BenchOptions} options */
async function succeededAreComplete({ style, results }, options) {
  const succeeded = results.filter((r) => r.outcome === 'succeeded' && r.checkoutId !== undefined);
  const sample = spread(succeeded, options.verifySuccesses);
  const answers = await mapConcurrent(sample, CONCURRENCY, async (r) => {
    const state = await participantStateOf(/** @type {string} */ (r.checkoutId), options);
    // A parcel lost twice (the simulated carrier of `npm start`) is refunded: its order REFUNDED, its authorization VOIDED.
    const paid =
      (state.orders[0] === 'CONFIRMED' && state.authorization === 'AUTHORIZED') || (state.orders[0] === 'REFUNDED' && state.authorization === 'VOIDED');
    const ok = state.reservation === 'CONFIRMED' && state.orders.length === 1 && paid;
    return ok ? undefined : `${r.checkoutId}: reservation ${state.reservation}, orders [${state.orders.join(',')}], authorization ${state.authorization}`;
  });
  return checkOf(
    style,
    'succeeded checkouts have one confirmed order, a confirmed reservation and an authorization',
    sample.length,
    answers.filter((a) => a !== undefined),
    sample.length < succeeded.length ? `${sample.length} of ${succeeded.length} succeeded checkouts inspected` : undefined,
  );
}
