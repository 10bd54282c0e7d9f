import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BOOT_TIMEOUT_MS, ROOT, TEST_API_KEY } from '@app/testing';
import { Browser, CHROMIUM } from './browser.js';
import { ConsoleSystem } from './console.system.js';

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
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.click('button[type="submit"]')]);
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
});
