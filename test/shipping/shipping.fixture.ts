import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { type AnyEvent, createEnvelope } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE } from '@app/event-store';
import { createHttpApp } from '@app/http-app';
import { EventPublisher } from '@app/redis-streams';
import {
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  startTestApp,
  startTestWorker,
  testConfig,
} from '@app/testing';
import { AUDIT_WORKER, AuditWorkerModule } from '../../apps/audit-worker/src/audit-worker.module.js';
import { CQRS_PROJECTION_WORKER, CqrsProjectionWorkerModule } from '../../apps/cqrs-projection-worker/src/cqrs-projection-worker.module.js';
import { OrdersModule } from '../../apps/orders/src/orders.module.js';
import { PaymentsModule } from '../../apps/payments/src/payments.module.js';
import { SHIPPING_CONSUMER, SHIPPING_DATABASE, ShippingModule, type ShippingOverrides } from '../../apps/shipping/src/shipping.module.js';

export interface ParcelRow {
  parcel_id: string;
  status: string;
  replaces_parcel_id: string | null;
}

/**
 * The shipping app with its participants (orders, payments) in one process, on a database of its
 * own; with `readSide`, the cqrs-projection and audit workers too. Checkouts are made to succeed by
 * hand: their order confirmed, their payment authorized, their CheckoutSucceeded published.
 */
export class ShippingStack {
  private constructor(
    readonly config: AppConfig,
    readonly shipping: TestApp,
    readonly orders: TestApp,
    public payments: TestApp,
    readonly publisher: EventPublisher,
    readonly redis: Redis,
    readonly shippingDb: DataSource,
    readonly store: DataSource,
    private readonly apps: TestApp[],
    private readonly testDb: TestDatabase,
  ) {}

  static async start(label: string, { readSide = false, overrides = {} }: { readSide?: boolean; overrides?: ShippingOverrides } = {}): Promise<ShippingStack> {
    const testDb = await createTestDatabase(label);
    const urls = {
      ORDERS_DATABASE_URL: testDb.url,
      PAYMENTS_DATABASE_URL: testDb.url,
      SHIPPING_DATABASE_URL: testDb.url,
      EVENT_STORE_DATABASE_URL: testDb.url,
    };
    const base = testConfig({ ...urls, STREAM_BLOCK_MS: 200 });
    const orders = await startTestApp(OrdersModule.register(base));
    const payments = await startTestApp(PaymentsModule.register(base));
    const config = { ...base, ORDERS_URL: orders.url, PAYMENTS_URL: payments.url, PARCEL_DEADLINE_SCAN_INTERVAL_MS: 100 };
    const shipping = await startTestWorker(ShippingModule.register(config, overrides), { ...SHIPPING_CONSUMER, config });
    const apps = [shipping, payments, orders];
    if (readSide) {
      apps.unshift(await startTestWorker(CqrsProjectionWorkerModule.register(config), { ...CQRS_PROJECTION_WORKER, config }));
      apps.unshift(await startTestWorker(AuditWorkerModule.register(config), { ...AUDIT_WORKER, config }));
    }
    const publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test' });
    const shippingDb = await new DataSource(dataSourceOptions(SHIPPING_DATABASE, config)).initialize();
    const store = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
    return new ShippingStack(config, shipping, orders, payments, publisher, new Redis(config.REDIS_URL), shippingDb, store, apps, testDb);
  }

  /** Stops the payments service; resolves with how to start it again, on the same port. */
  async stopPayments(): Promise<() => Promise<void>> {
    const port = new URL(this.payments.url).port;
    const stopped = this.payments;
    await stopped.close();
    return async () => {
      const app = await createHttpApp(PaymentsModule.register(this.config), { name: 'payments', logLevel: 'silent' });
      await app.listen(Number(port), '127.0.0.1');
      this.payments = { app, url: stopped.url, close: () => app.close() };
      this.apps[this.apps.indexOf(stopped)] = this.payments;
    };
  }

  async close(): Promise<void> {
    for (const app of this.apps) await app.close();
    await this.publisher.close();
    await deleteKeysWithPrefix(this.redis, this.config.REDIS_KEY_PREFIX);
    await this.redis.quit();
    await this.shippingDb.destroy();
    await this.store.destroy();
    await this.testDb.drop();
  }

  call(app: TestApp, method: 'get' | 'post', path: string, body?: object): request.Test {
    return request(app.url)[method](path).set('X-API-Key', TEST_API_KEY).send(body);
  }

  /** A carrier's callback, or an incident's resolution. */
  callback(parcelId: string, path: string, body?: object): request.Test {
    return this.call(this.shipping, 'post', `/parcels/${parcelId}/${path}`, body);
  }

  /** The checkout's parcels, oldest first, from the shipping app's own table. */
  parcelsOf(checkoutId: string): Promise<ParcelRow[]> {
    return this.shippingDb.query<ParcelRow[]>('SELECT parcel_id, status, replaces_parcel_id FROM parcels WHERE checkout_id = $1 ORDER BY created_at', [
      checkoutId,
    ]);
  }

  /** The checkout's first parcel, once registered. */
  parcelOf(checkoutId: string): Promise<string> {
    return eventually(async () => {
      const [first] = await this.parcelsOf(checkoutId);
      expect(first).toBeDefined();
      return first!.parcel_id;
    });
  }

  /** A checkout that succeeded: its order confirmed, its payment authorized, and its CheckoutSucceeded published by `producer`. */
  async succeeded(checkoutId: string, producer: string, clientId = 'zoe'): Promise<AnyEvent> {
    const items = [{ sku: 'A-1', quantity: 1, unitPriceCents: 700 }];
    const order = (await this.call(this.orders, 'post', '/orders', { checkoutId, clientId, items }).expect(201)).body as { orderId: string };
    await this.call(this.orders, 'post', `/orders/${order.orderId}/confirm`).expect(200);
    await this.call(this.payments, 'post', '/payments/authorizations', { checkoutId, amountCents: 700, token: 'tok_visa' }).expect(201);
    const payload = { checkoutId, clientId, orderId: order.orderId, totalCents: 700 };
    const event = createEnvelope('CheckoutSucceeded', payload, { correlationId: checkoutId, producer });
    await this.publisher.publishEnvelope(event);
    return event;
  }

  /** What the participants hold for the checkout: its order's and its authorization's status. */
  async ledgerOf(checkoutId: string): Promise<{ order?: string; authorization?: string }> {
    const [order] = (await this.call(this.orders, 'get', `/orders?checkoutId=${checkoutId}`).expect(200)).body as { status: string }[];
    const authorization = (await this.call(this.payments, 'get', `/payments/authorizations/${checkoutId}`).expect(200)).body as { status: string };
    return { ...(order !== undefined && { order: order.status }), authorization: authorization.status };
  }
}
