import pg from 'pg';
import request from 'supertest';
import { BOOT_TIMEOUT_MS, type Participant, Participants, TEST_API_KEY, createTestDatabase } from '@app/testing';

const STOCK: Record<string, number> = { 'OV-A': 30, 'OV-B': 24, 'OV-C': 18, 'OV-D': 12 };
const SKUS = Object.keys(STOCK);
const CHECKOUTS = 64;
/** Every call of a checkout is sent this many times at once, as a client retrying a timeout would. */
const REPEATS = 3;

type Kind = 'pays' | 'declined' | 'overtaken';
interface Answer {
  status: number;
  body: Record<string, unknown>;
}
interface Run {
  checkoutId: string;
  kind: Kind;
  items: { sku: string; quantity: number }[];
  /** The answers to each call, REPEATS per call, in the order they were sent. */
  calls: Record<string, Answer[]>;
}

/** 2 or 3 of the SKUs, listed in an order of their own, sometimes one split over two lines: checkouts overlap in every order. */
function itemsOf(i: number): { sku: string; quantity: number }[] {
  const rotated = [...SKUS.slice(i % 4), ...SKUS.slice(0, i % 4)].slice(0, 2 + (i % 2));
  const lines = (i % 3 === 0 ? rotated.reverse() : rotated).map((sku, k) => ({ sku, quantity: 1 + ((i * 7 + k) % 3) }));
  return i % 5 === 0 ? [...lines, { sku: lines[0]!.sku, quantity: 1 }] : lines;
}

const kindOf = (i: number): Kind => (['pays', 'pays', 'declined', 'overtaken'] as const)[i % 4]!;

/**
 * The participants as production runs them, each in its process: many checkouts at once that share
 * SKUs, every call repeated at once, compensations racing the actions they undo. Stock is conserved,
 * each checkout has exactly one reservation, order and authorization, and every repeat gets the first answer.
 */
describe('participants: overlapping checkouts and their repeats, all at once', () => {
  let participants: Participants;
  const runs: Run[] = [];

  const send = async (participant: Participant, path: string, body?: object): Promise<Answer> => {
    const res = await request(participants[participant].url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
    return { status: res.status, body: res.body as Record<string, unknown> };
  };
  const repeated = (participant: Participant, path: string, body?: object) => Promise.all(Array.from({ length: REPEATS }, () => send(participant, path, body)));
  const sql = async <T extends pg.QueryResultRow>(participant: Participant, text: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: participants.databaseUrlOf(participant), options: `-c search_path=${participant}` });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  };

  async function checkout(i: number): Promise<Run> {
    const checkoutId = `ov-${i}`;
    const kind = kindOf(i);
    const items = itemsOf(i);
    const run: Run = { checkoutId, kind, items, calls: {} };
    const order = { checkoutId, clientId: `client-${i}`, items: items.map((item) => ({ ...item, unitPriceCents: 100 })) };
    const authorization = {
      checkoutId,
      amountCents: 100 * items.reduce((sum, item) => sum + item.quantity, 0),
      token: kind === 'declined' ? 'tok_chargeDeclined' : 'tok_visa',
    };
    const reservations = `/inventory/reservations/${checkoutId}`;
    if (kind === 'overtaken') {
      const calls = await Promise.all([
        repeated('inventory', '/inventory/reservations', { checkoutId, items }),
        repeated('inventory', `${reservations}/release`),
        repeated('orders', '/orders', order),
        repeated('orders', `/orders/by-checkout/${checkoutId}/cancel`),
        repeated('payments', '/payments/authorizations', authorization),
        repeated('payments', `/payments/authorizations/${checkoutId}/void`),
      ]);
      ['reserve', 'release', 'create', 'cancel', 'authorize', 'void'].forEach((call, k) => (run.calls[call] = calls[k]!));
      return run;
    }
    run.calls['reserve'] = await repeated('inventory', '/inventory/reservations', { checkoutId, items });
    if (run.calls['reserve'][0]!.status !== 201) return run;
    run.calls['create'] = await repeated('orders', '/orders', order);
    run.calls['authorize'] = await repeated('payments', '/payments/authorizations', authorization);
    if (run.calls['authorize'][0]!.status === 201) {
      const orderId = String(run.calls['create'][0]!.body['orderId']);
      [run.calls['confirmStock'], run.calls['confirmOrder']] = await Promise.all([
        repeated('inventory', `${reservations}/confirm`),
        repeated('orders', `/orders/${orderId}/confirm`),
      ]);
    } else {
      [run.calls['release'], run.calls['cancel'], run.calls['void']] = await Promise.all([
        repeated('inventory', `${reservations}/release`),
        repeated('orders', `/orders/by-checkout/${checkoutId}/cancel`),
        repeated('payments', `/payments/authorizations/${checkoutId}/void`),
      ]);
    }
    return run;
  }

  beforeAll(async () => {
    participants = await Participants.start({ label: 'overlapping', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    for (const [sku, stock] of Object.entries(STOCK)) await participants.product(sku, stock);
    runs.push(...(await Promise.all(Array.from({ length: CHECKOUTS }, (_, i) => checkout(i)))));
  }, BOOT_TIMEOUT_MS);

  afterAll(() => participants?.stop());

  it('answers every repeat sent at once with the same answer, and a later repeat with the first outcome', async () => {
    for (const run of runs.filter((r) => r.kind !== 'overtaken')) {
      for (const [call, answers] of Object.entries(run.calls)) expect({ call, answers }).toEqual({ call, answers: Array(REPEATS).fill(answers[0]) });
      const [firstReserve] = run.calls['reserve']!;
      const again = await send('inventory', '/inventory/reservations', { checkoutId: run.checkoutId, items: [{ sku: 'OV-A', quantity: 1 }] });
      if (firstReserve!.status === 201) expect(again).toMatchObject({ status: 201, body: { checkoutId: run.checkoutId, items: firstReserve!.body['items'] } });
      else expect(again).toEqual(firstReserve);
      if (run.calls['create'] !== undefined) {
        const order = await send('orders', '/orders', {
          checkoutId: run.checkoutId,
          clientId: 'someone-else',
          items: [{ sku: 'OV-A', quantity: 1, unitPriceCents: 1 }],
        });
        expect(order).toMatchObject({
          status: 201,
          body: { orderId: run.calls['create'][0]!.body['orderId'], clientId: run.calls['create'][0]!.body['clientId'] },
        });
      }
      if (run.calls['authorize'] !== undefined) {
        expect(await send('payments', '/payments/authorizations', { checkoutId: run.checkoutId, amountCents: 1, token: 'tok_visa' })).toEqual(
          run.calls['authorize'][0],
        );
      }
    }
    const allowed: Record<string, number[]> = { reserve: [201, 409], release: [200], create: [201, 409], cancel: [200], authorize: [201, 409], void: [200] };
    for (const run of runs.filter((r) => r.kind === 'overtaken')) {
      for (const [call, answers] of Object.entries(run.calls)) expect(answers.filter((a) => !allowed[call]!.includes(a.status))).toEqual([]);
    }
    // The first reservation to run finds all the stock; the checkouts that pay ask for more of every SKU than there is.
    expect(runs.some((r) => r.calls['reserve']![0]!.status === 201)).toBe(true);
    expect(runs.some((r) => r.calls['reserve']![0]!.body['code'] === 'INVENTORY.INSUFFICIENT_STOCK')).toBe(true);
  });

  it('conserves stock: initial = available + units held by reservations not released, and nothing is left merely reserved', async () => {
    const levels = await sql<{ sku: string; available: number; reserved: number; held: number }>(
      'inventory',
      `SELECT p.sku, p.available, p.reserved,
              COALESCE((SELECT SUM((i->>'quantity')::int) FROM reservations r CROSS JOIN LATERAL jsonb_array_elements(r.items) i
                        WHERE r.status <> 'RELEASED' AND i->>'sku' = p.sku), 0)::int AS held
       FROM products p ORDER BY p.sku`,
    );
    expect(levels.map(({ sku, available, reserved, held }) => ({ sku, total: available + held, reserved, negative: available < 0 }))).toEqual(
      SKUS.map((sku) => ({ sku, total: STOCK[sku], reserved: 0, negative: false })),
    );
  });

  it('keeps one outcome per checkout in each participant, matching what the callers were answered', async () => {
    const reservations = await sql<{ checkout_id: string; status: string; held: boolean; refused: boolean }>(
      'inventory',
      `SELECT r.checkout_id, r.status, jsonb_array_length(r.items) > 0 AS held, EXISTS (SELECT FROM reservation_refusals f WHERE f.checkout_id = r.checkout_id) AS refused
       FROM reservations r`,
    );
    const refusals = new Set((await sql<{ checkout_id: string }>('inventory', 'SELECT checkout_id FROM reservation_refusals')).map((r) => r.checkout_id));
    const orders = await sql<{ checkout_id: string; order_id: string; status: string }>('orders', 'SELECT checkout_id, order_id, status FROM orders');
    const tombstones = new Set((await sql<{ checkout_id: string }>('orders', 'SELECT checkout_id FROM cancelled_checkouts')).map((r) => r.checkout_id));
    const authorizations = await sql<{ checkout_id: string; status: string }>('payments', 'SELECT checkout_id, status FROM authorizations');
    const reservationOf = new Map(reservations.map((r) => [r.checkout_id, r]));
    const orderOf = new Map(orders.map((o) => [o.checkout_id, o]));
    const authorizationOf = new Map(authorizations.map((a) => [a.checkout_id, a.status]));

    // A refused checkout never also holds stock, and an order never stands beside its tombstone.
    expect(reservations.filter((r) => r.held && r.refused)).toEqual([]);
    expect(orders.filter((o) => tombstones.has(o.checkout_id))).toEqual([]);
    for (const run of runs) {
      const reservation = reservationOf.get(run.checkoutId);
      const order = orderOf.get(run.checkoutId);
      const reserved = run.calls['reserve']![0]!.status === 201;
      if (run.kind === 'overtaken') {
        expect({ id: run.checkoutId, reservation: reservation?.status, order: order?.status ?? 'none', payment: authorizationOf.get(run.checkoutId) }).toEqual({
          id: run.checkoutId,
          reservation: 'RELEASED',
          order: order === undefined ? 'none' : 'CANCELLED',
          payment: 'VOIDED',
        });
        expect(order === undefined).toBe(tombstones.has(run.checkoutId));
      } else if (!reserved) {
        expect({ id: run.checkoutId, reservation, refused: refusals.has(run.checkoutId), order }).toEqual({
          id: run.checkoutId,
          reservation: undefined,
          refused: true,
          order: undefined,
        });
      } else {
        const paid = run.kind === 'pays';
        expect({ id: run.checkoutId, reservation: reservation?.status, order, payment: authorizationOf.get(run.checkoutId) }).toEqual({
          id: run.checkoutId,
          reservation: paid ? 'CONFIRMED' : 'RELEASED',
          order: { checkout_id: run.checkoutId, order_id: run.calls['create']![0]!.body['orderId'], status: paid ? 'CONFIRMED' : 'CANCELLED' },
          payment: paid ? 'AUTHORIZED' : 'DECLINED',
        });
      }
    }
  });
});
