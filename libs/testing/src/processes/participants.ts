import request from 'supertest';
import type { Authorization, Order, Product, Reservation } from '@app/contracts';
import { ServiceProcess, ensureFreshBuild } from './service-process.js';

/** Enough for a build of the apps (when the sources changed) and the start of their processes. */
export const BOOT_TIMEOUT_MS = 180_000;

/** Orders above this total are refused by the orders service of these tests. */
export const ORDER_LIMIT_CENTS = 100_000;

export type Participant = 'inventory' | 'orders' | 'payments';
const DATABASE_VARIABLE: Record<Participant, string> = {
  inventory: 'INVENTORY_DATABASE_URL',
  orders: 'ORDERS_DATABASE_URL',
  payments: 'PAYMENTS_DATABASE_URL',
};

/** A database of its own (the tests pass `createTestDatabase`). */
export interface Database {
  url: string;
  drop(): Promise<void>;
}

export interface ParticipantsOptions {
  /** Names the databases. */
  label: string;
  /** Accepted by the participants and used by them between each other. */
  apiKey: string;
  createDatabase: (label: string) => Promise<Database>;
  /** Extra settings of the three services (fault injection, order limit...). */
  env?: Record<string, string>;
}

/**
 * The inventory, orders and payments services, each on its own database and in its own process,
 * plus the calls the tests make to check their state.
 */
export class Participants {
  private constructor(
    readonly inventory: ServiceProcess,
    readonly orders: ServiceProcess,
    readonly payments: ServiceProcess,
    private readonly databases: Record<Participant, Database>,
    private readonly apiKey: string,
  ) {}

  static async start({ label, apiKey, createDatabase, env = {} }: ParticipantsOptions): Promise<Participants> {
    await ensureFreshBuild();
    const names: Participant[] = ['inventory', 'orders', 'payments'];
    const [inventoryDb, ordersDb, paymentsDb] = await Promise.all(names.map((name) => createDatabase(`${label}_${name}`)));
    const databases = { inventory: inventoryDb!, orders: ordersDb!, payments: paymentsDb! };
    const common = { API_KEYS: apiKey, INTERNAL_API_KEY: apiKey, ORDER_MAX_TOTAL_CENTS: String(ORDER_LIMIT_CENTS), ...env };
    const [inventory, orders, payments] = await Promise.all(
      names.map((name) => ServiceProcess.start(name, { ...common, [DATABASE_VARIABLE[name]]: databases[name].url })),
    );
    return new Participants(inventory!, orders!, payments!, databases, apiKey);
  }

  /** Where an orchestrator finds them. */
  get urls(): { INVENTORY_URL: string; ORDERS_URL: string; PAYMENTS_URL: string } {
    return { INVENTORY_URL: this.inventory.url, ORDERS_URL: this.orders.url, PAYMENTS_URL: this.payments.url };
  }

  /** The inventory's database, to check stock conservation over every reservation. */
  get inventoryDatabaseUrl(): string {
    return this.databases.inventory.url;
  }

  /** A participant's database (its tables are in the schema named after it), to check what it holds. */
  databaseUrlOf(participant: Participant): string {
    return this.databases[participant].url;
  }

  async stop(): Promise<void> {
    await Promise.all([this.inventory.stop(), this.orders.stop(), this.payments.stop()]);
    await Promise.all(Object.values(this.databases).map((db) => db.drop()));
  }

  async product(sku: string, stock: number, priceCents = 1_000): Promise<void> {
    await request(this.inventory.url)
      .post('/inventory/products')
      .set('X-API-Key', this.apiKey)
      .send({ sku, name: `Product ${sku}`, priceCents, stock })
      .expect(200);
  }

  async stockOf(sku: string): Promise<Product> {
    return (await request(this.inventory.url).get(`/inventory/products/${sku}`).set('X-API-Key', this.apiKey).expect(200)).body as Product;
  }

  async reserve(checkoutId: string, items: { sku: string; quantity: number }[]): Promise<void> {
    await request(this.inventory.url).post('/inventory/reservations').set('X-API-Key', this.apiKey).send({ checkoutId, items }).expect(201);
  }

  async reservationOf(checkoutId: string): Promise<Reservation | undefined> {
    const res = await request(this.inventory.url).get(`/inventory/reservations/${checkoutId}`).set('X-API-Key', this.apiKey);
    return res.status === 404 ? undefined : (res.body as Reservation);
  }

  async ordersOf(checkoutId: string): Promise<Order[]> {
    return (await request(this.orders.url).get('/orders').query({ checkoutId }).set('X-API-Key', this.apiKey).expect(200)).body as Order[];
  }

  async authorizationOf(checkoutId: string): Promise<Authorization | undefined> {
    const res = await request(this.payments.url).get(`/payments/authorizations/${checkoutId}`).set('X-API-Key', this.apiKey);
    return res.status === 404 ? undefined : (res.body as Authorization);
  }
}
