import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { STREAMS, createEnvelope } from '@app/contracts';
import { BOOT_TIMEOUT_MS, ROOT, TEST_API_KEY, eventually } from '@app/testing';
import { Browser, CHROMIUM } from './browser.js';
import { ConsoleSystem } from './console.system.js';
import { CONSOLE_ROUTES, consolePathOf } from '../hostile-input/console-routes.js';
import { HOSTILE_PARAMS } from '../hostile-input/hostile-values.js';

/** One set of these is committed; the README shows the overview. */
const SCREENSHOTS = join(ROOT, 'reports/console');
const STEP_MS = 30_000;

describe('the web console in a real browser, against the running system', () => {
  let system: ConsoleSystem;
  let browser: Browser;
  let page: Page;

  const open = (path: string) => page.goto(`${system.consoleUrl}${path}`);
  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const signIn = async (key: string) => {
    await open('/login');
    await page.fill('input[name="apiKey"]', key);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.click('button[type="submit"]'),
    ]);
    return response.status();
  };
  /** Fills the start form: `quantities` by SKU, the payment token, the style. */
  const startCheckout = async (quantities: Record<string, number>, token: string, style: string) => {
    await open('/checkouts/new');
    for (const input of await page.locator('input[name="quantity"]').all()) await input.fill(String(quantities[(await input.getAttribute('data-sku'))!] ?? 0));
    await page.check(`input[name="token"][value="${token}"]`);
    await page.check(`input[name="style"][value="${style}"]`);
    await Promise.all([page.waitForURL(/\/(checkouts\/(orchestrated|choreographed)\/[^/]+|compare\?.*)$/), page.click('#start-form button[type="submit"]')]);
  };
  const finalDetail = () => page.waitForSelector('#checkout-detail[data-final="true"]', { timeout: STEP_MS });
  /** A screenshot once the page's charts and diagrams are drawn. */
  const screenshotWhenDrawn = async (name: string) => {
    await page.locator('canvas[data-gantt]:not([data-drawn])').first().waitFor({ state: 'detached', timeout: STEP_MS });
    await screenshot(name);
  };
  const stepsShown = () => page.locator('#checkout-detail table.steps tr[data-step]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step')));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error('This test drives Debian’s Chromium: apt-get install -y chromium');
    await mkdir(SCREENSHOTS, { recursive: true });
    process.setMaxListeners(32);
    system = await ConsoleSystem.start();
    await system.participants.product('BOOK-1', 100, 2_500);
    await system.participants.product('MUG-1', 100, 1_200);
    browser = await Browser.launch();
    page = await browser.context.newPage();
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  }, 60_000);

  it('refuses a wrong API key, and lets nobody in without one', async () => {
    expect(await signIn('not-the-key')).toBe(401);
    await expect(page.locator('.flash.bad').textContent()).resolves.toContain('refused');
    await open('/operations');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('signs in once and shows both styles side by side, live', async () => {
    expect(await signIn(TEST_API_KEY)).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForSelector('#updated:has-text("updated")', { timeout: STEP_MS });
    await page.waitForSelector('#bus-table tr[data-group="ecommerce.checkout.events/payment"]', { timeout: STEP_MS });
    expect(await page.textContent('section[data-style="orchestrated"] .reach')).toBe('');
    expect(await page.textContent('section[data-style="choreographed"] .reach')).toBe('');
  }, 60_000);

  it('starts an orchestrated checkout from the form and follows it to SAGA_TERMINEE, every step on its timeline and its path on the machine', async () => {
    await startCheckout({ 'BOOK-1': 2, 'MUG-1': 1 }, 'tok_visa', 'orchestrated');
    await finalDetail();
    expect(await page.textContent('[data-field="state"]')).toBe('SAGA_TERMINEE');
    expect(await stepsShown()).toEqual([
      'VERIFICATION_STOCK',
      'STOCK_VERIFIE',
      'RESERVATION_STOCK',
      'STOCK_RESERVE',
      'CREATION_COMMANDE',
      'COMMANDE_CREEE',
      'AUTORISATION_PAIEMENT',
      'PAIEMENT_AUTORISE',
      'CONFIRMATION_COMMANDE',
      'SAGA_TERMINEE',
    ]);
    await page.waitForSelector('pre.mermaid svg', { timeout: STEP_MS });
    expect(await page.locator('pre.mermaid svg .node.taken').count()).toBe(11);
    await screenshot('checkout-orchestrated');
  }, 60_000);

  it('links a checkout to each trace its events carry, and to none when they carry none or a garbled one', async () => {
    await startCheckout({ 'MUG-1': 1 }, 'tok_visa', 'orchestrated');
    await finalDetail();
    // Tracing is off in this system: its events carry no context.
    expect(await page.locator('#checkout-detail a.trace').count()).toBe(0);

    const checkoutId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const outcome = (traceparent: string) => ({
      ...createEnvelope(
        'CheckoutSucceeded',
        { checkoutId, clientId: 'console-trace', orderId: 'o-trace', totalCents: 1_200 },
        { correlationId: checkoutId, producer: 'saga-orchestrator' },
      ),
      traceContext: { traceparent },
    });
    await system.storeEvents(
      [outcome('00-not-a-trace-01'), outcome(`00-${traceId}-b7ad6b7169203331-01`), outcome(`00-${traceId}-00f067aa0ba902b7-01`)].map((event) => ({
        stream: STREAMS.checkout,
        event,
      })),
    );
    await open(new URL(page.url()).pathname);
    await finalDetail();
    const links = await page.locator('#checkout-detail a.trace').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([[`Trace ${traceId.slice(0, 8)}`, `http://localhost:16686/trace/${traceId}`]]);
  }, 60_000);

  it('starts a choreographed checkout whose card is declined and follows it to FAILED, its compensations and chain of events shown', async () => {
    await startCheckout({ 'BOOK-1': 1 }, 'tok_chargeDeclined', 'choreographed');
    await screenshotWhenDrawn('checkout-choreographed-following');
    await finalDetail();
    expect(await page.textContent('[data-field="state"]')).toBe('FAILED');
    expect(await stepsShown()).toEqual([
      'checkout: CheckoutInitiated',
      'stock-reservation-worker: StockReserved',
      'order-creation-worker: OrderCreated',
      'payment-worker: PaymentFailed',
      'order-compensation-worker: OrderCancelled',
      'stock-compensation-worker: StockReleased',
      'stock-compensation-worker: CheckoutFailed',
    ]);
    const reactions = await page.locator('table.chain tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(reactions.map(([type, , , by]) => [type, by])).toEqual([
      ['CheckoutInitiated', 'stock-reservation'],
      ['StockReserved', 'order-creation'],
      ['OrderCreated', 'payment'],
      ['PaymentFailed', 'order-compensation'],
      ['OrderCancelled', 'stock-compensation'],
      ['StockReleased', '–'],
      ['CheckoutFailed', '–'],
    ]);
    await page.waitForSelector('pre.mermaid svg', { timeout: STEP_MS });
    await screenshot('checkout-choreographed');
  }, 60_000);

  it('starts one checkout of each style on the same basket and compares them on one time axis', async () => {
    await open('/checkouts/new');
    await screenshot('start-checkout');
    await startCheckout({ 'MUG-1': 2 }, 'tok_visa', 'both');
    expect(new URL(page.url()).pathname).toBe('/compare');
    await page.waitForSelector('#compare[data-final="true"]', { timeout: STEP_MS });
    const states = await page
      .locator('section.compared')
      .evaluateAll((sections) => sections.map((s) => [s.getAttribute('data-style'), s.querySelector('[data-field="state"]')?.textContent]));
    expect(states).toEqual([
      ['orchestrated', 'SAGA_TERMINEE'],
      ['choreographed', 'SUCCEEDED'],
    ]);
    await page.waitForSelector('#compare canvas[data-drawn]', { timeout: STEP_MS });
    await screenshot('compare');
  }, 60_000);

  it('shows a dead-lettered event with its error, redrives it, and the list is empty and the checkout ends', async () => {
    const { participants, choreography } = system;
    // Payments down, and a payment worker that gives up at the first failure: its OrderCreated is dead-lettered.
    await participants.payments.stop();
    await choreography.worker('payment-worker').stop();
    await choreography.worker('payment-worker').restart({ STREAM_MAX_ATTEMPTS: '1' });
    await startCheckout({ 'BOOK-1': 1 }, 'tok_visa', 'choreographed');
    const checkoutId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    const row = `tr[data-dead-letter]:has-text("${checkoutId}")`;
    await eventually(
      async () => {
        await open('/operations');
        expect(await page.locator(row).count()).toBe(1);
      },
      { timeoutMs: STEP_MS, intervalMs: 500 },
    );
    expect(await page.textContent(`${row} td.error`)).toMatch(/payments/i);
    await screenshot('operations-dead-letter');

    await participants.payments.restart();
    await choreography.worker('payment-worker').stop();
    await choreography.worker('payment-worker').restart();
    await page.click(`${row} button`);
    await expect(page.textContent('.flash.ok')).resolves.toContain('back on the stream');
    expect(await page.locator('tr[data-dead-letter]').count()).toBe(0);
    await expect(page.textContent('#dead-letters .empty')).resolves.toContain('No dead letter');
    await open(`/checkouts/choreographed/${encodeURIComponent(checkoutId)}`);
    await finalDetail();
    expect(await page.textContent('[data-field="state"]')).toBe('SUCCEEDED');
  }, 90_000);

  it('parks a saga whose compensation fails (inventory down), retries it from the operations page, and sees it settle', async () => {
    await startCheckout({ 'BOOK-1': 1 }, 'tok_visa', 'orchestrated');
    await finalDetail();
    const sagaId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    await system.participants.inventory.stop();
    try {
      // The orchestrator tries the release for about 40 s before it parks the saga; the page waits for its answer.
      await page.locator('button.danger').click({ timeout: 70_000 });
      await expect(page.textContent('.flash')).resolves.toContain('COMPENSATION_ECHOUEE');
    } finally {
      await system.participants.inventory.restart();
    }
    await open('/operations');
    const row = `#parked tr[data-saga="${sagaId}"]`;
    expect(await page.locator(row).count()).toBe(1);
    await screenshot('operations');
    await page.click(`${row} button`);
    await expect(page.textContent('.flash.ok')).resolves.toContain('SAGA_ANNULEE');
    expect(await page.locator(row).count()).toBe(0);
    expect(await system.participants.stockOf('BOOK-1')).toMatchObject({ reserved: 0 });
  }, 120_000);

  it('refuses an action whose CSRF token is missing or wrong, and does nothing', async () => {
    await startCheckout({ 'MUG-1': 1 }, 'tok_visa', 'orchestrated');
    await finalDetail();
    const sagaId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
    // The browser's own cookies (the signed-in session), without the form's token.
    const missing = await page.request.post(`${system.consoleUrl}/checkouts/orchestrated/${sagaId}/compensate`, { headers: { Accept: 'application/json' } });
    const wrong = await page.request.post(`${system.consoleUrl}/checkouts/orchestrated/${sagaId}/compensate`, {
      headers: { Accept: 'application/json' },
      form: { _csrf: 'forged' },
    });
    expect([missing.status(), wrong.status()]).toEqual([403, 403]);
    expect(await missing.json()).toMatchObject({ code: 'CONSOLE.CSRF_REFUSED' });
    await page.reload();
    expect(await page.textContent('[data-field="state"]')).toBe('SAGA_TERMINEE');
  }, 60_000);

  it('shows the bus: each stream with its length, and each group with its lag and pending', async () => {
    await open('/bus');
    const groups = await page
      .locator('[data-stream="ecommerce.checkout.events"] tr[data-group]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')));
    expect(groups.sort()).toEqual(
      [
        'audit',
        'checkout',
        'checkout-deadline',
        'cqrs-projection',
        'notification',
        'order-compensation',
        'order-confirmation',
        'order-creation',
        'payment',
        'stock-compensation',
        'stock-reservation',
      ].sort(),
    );
    expect(Number(await page.textContent('[data-stream="ecommerce.checkout.events"] [data-field="busLength"]'))).toBeGreaterThan(0);
    await screenshot('bus');
  });

  it('shows both styles’ rates and latencies on the overview once checkouts ran', async () => {
    await open('/');
    for (const style of ['orchestrated', 'choreographed']) {
      await page.waitForSelector(`section[data-style="${style}"] [data-kpi="p50"]:text-matches("[0-9]+ ms")`, { timeout: STEP_MS });
    }
    await screenshot('overview');
  }, 60_000);

  it('sends a signed-out page to sign in, refuses every POST without the CSRF token, and hostile parameters with 400 or 404', async () => {
    const guarded = CONSOLE_ROUTES.filter((route) => route.open !== true);
    // No cookie at all: nobody signed in.
    const signedOut = await Promise.all(
      guarded.map(async (route) => {
        const res = await fetch(`${system.consoleUrl}${consolePathOf(route)}`, { method: route.method, headers: { Accept: 'application/json' } });
        return { route: `${route.method} ${route.path}`, status: res.status };
      }),
    );
    expect(signedOut.filter((a) => a.status !== (a.route.startsWith('POST') ? 403 : 401))).toEqual([]);
    // Signed in, but without the token every form carries.
    const posts = CONSOLE_ROUTES.filter((route) => route.method === 'POST');
    const tokenless = await Promise.all(
      posts.map(async (route) => ({ route: route.path, status: (await page.request.post(`${system.consoleUrl}${consolePathOf(route)}`)).status() })),
    );
    expect(tokenless.filter((a) => a.status !== 403)).toEqual([]);
    // Signed in, with the token: each hostile value of each parameter.
    await open('/bus');
    const csrf = (await page.getAttribute('meta[name="csrf-token"]', 'content'))!;
    const hostile = await Promise.all(
      guarded.flatMap((route) =>
        Object.keys(route.params ?? {}).flatMap((param) =>
          HOSTILE_PARAMS.map(async (value) => {
            const url = `${system.consoleUrl}${consolePathOf(route, { param, value })}`;
            const res = route.method === 'GET' ? await page.request.get(url) : await page.request.post(url, { form: { _csrf: csrf } });
            return { url, status: res.status() };
          }),
        ),
      ),
    );
    expect(hostile.length).toBeGreaterThan(50);
    expect(hostile.filter((a) => ![400, 404].includes(a.status))).toEqual([]);
  });

  it('answers bad query parameters with a 400 naming them, and shows the back end’s own refusal', async () => {
    const get = async (path: string) => {
      const res = await page.request.get(`${system.consoleUrl}${path}`, { headers: { Accept: 'application/json' } });
      return { status: res.status(), body: JSON.stringify(await res.json()) };
    };
    for (const [path, name] of [
      ['/operations?deadAfter=abc', 'deadAfter'],
      ['/operations?parkedCursor=-1', 'parkedCursor'],
      ['/compare?a=nope', 'a'],
    ] as const) {
      expect(await get(path)).toEqual({ status: 400, body: expect.stringContaining(`${name} must`) });
    }
    // An unknown saga: the orchestrator's 404 and its words.
    expect(await get('/checkouts/orchestrated/00000000-0000-4000-8000-000000000000')).toEqual({ status: 404, body: expect.stringContaining('SAGA.NOT_FOUND') });
  });
});
