import { ConflictError, ErrorCode, NotFoundError, PaymentRefusedError, RuleViolationError } from '@app/contracts';
import { confirmOrder, createOrder } from './order.steps.js';
import { TransientStepError } from './participant.errors.js';
import { authorizePayment } from './payment.steps.js';
import { checkAvailability, priceItems, reserveStock } from './stock.steps.js';

const items = [{ sku: 'A', quantity: 2 }];
const priced = [{ sku: 'A', quantity: 2, unitPriceCents: 500 }];
const order = { orderId: 'o1', checkoutId: 'c1', clientId: 'u1', status: 'PENDING' as const, items: priced, totalCents: 1000 };
const unavailable = new TransientStepError('inventory', 'reserveStock', 4, new Error('ECONNREFUSED'));

describe('checkout steps', () => {
  describe('checkAvailability', () => {
    const report = (overrides: object) => ({
      checkAvailability: () => Promise.resolve({ available: true, missing: [], shortages: [], items: priced, totalCents: 1000, ...overrides }),
    });

    it('given everything in stock, returns the priced lines and their total', async () => {
      expect(await checkAvailability(report({}), items)).toEqual({ ok: true, items: priced, totalCents: 1000 });
    });

    it('given an unknown SKU, refuses at the stock step naming it', async () => {
      expect(await checkAvailability(report({ available: false, missing: ['NOPE'] }), items)).toEqual({
        ok: false,
        step: 'stock',
        code: ErrorCode.UnknownSku,
        reason: 'Unknown SKU: NOPE',
        details: { skus: ['NOPE'] },
      });
    });

    it('given a shortage, refuses with INSUFFICIENT_STOCK and the shortages', async () => {
      const shortages = [{ sku: 'A', requested: 2, available: 1 }];
      expect(await checkAvailability(report({ available: false, shortages }), items)).toMatchObject({
        ok: false,
        step: 'stock',
        code: ErrorCode.InsufficientStock,
        reason: 'Insufficient stock for A (requested 2, available 1)',
        details: { shortages },
      });
    });
  });

  describe('priceItems', () => {
    const report = (overrides: object) => ({
      checkAvailability: () => Promise.resolve({ available: false, missing: [], shortages: [], items: priced, totalCents: 1000, ...overrides }),
    });

    it('prices the lines even when the stock is short: the reservation decides on stock', async () => {
      const shortages = [{ sku: 'A', requested: 2, available: 0 }];
      expect(await priceItems(report({ shortages }), items)).toEqual({ ok: true, items: priced, totalCents: 1000 });
    });

    it('refuses an unknown SKU like the availability check', async () => {
      expect(await priceItems(report({ missing: ['NOPE'] }), items)).toMatchObject({ ok: false, step: 'stock', code: ErrorCode.UnknownSku });
    });
  });

  describe('refusals and faults', () => {
    it('turns a participant refusal into a StepRefusal carrying its stable code and details', async () => {
      const inventory = { reserve: async () => Promise.reject(new ConflictError(ErrorCode.InsufficientStock, 'short', { shortages: [] })) };
      expect(await reserveStock(inventory, 'c1', items)).toEqual({
        ok: false,
        step: 'stock',
        code: ErrorCode.InsufficientStock,
        reason: 'short',
        details: { shortages: [] },
      });
    });

    it('lets a transient failure through as an error: its effect is unknown, the caller decides', async () => {
      const inventory = { reserve: async () => Promise.reject(unavailable) };
      await expect(reserveStock(inventory, 'c1', items)).rejects.toBe(unavailable);
    });

    it('attributes each refusal to the step that made it', async () => {
      const overLimit = await createOrder(
        { create: async () => Promise.reject(new RuleViolationError(ErrorCode.OrderOverLimit, 'too much')) },
        { checkoutId: 'c1', clientId: 'u1', items: priced },
      );
      const declined = await authorizePayment(
        { authorize: async () => Promise.reject(new PaymentRefusedError(ErrorCode.CardDeclined, 'declined')) },
        { checkoutId: 'c1', amountCents: 1000, token: 'tok_chargeDeclined' },
      );
      expect([overLimit, declined]).toEqual([
        { ok: false, step: 'order', code: ErrorCode.OrderOverLimit, reason: 'too much' },
        { ok: false, step: 'payment', code: ErrorCode.CardDeclined, reason: 'declined' },
      ]);
    });

    it('treats an authorization answered with a 2xx but not AUTHORIZED as declined', async () => {
      const payments = { authorize: () => Promise.resolve({ checkoutId: 'c1', status: 'DECLINED' as const, amountCents: 1000, reason: 'Card declined' }) };
      expect(await authorizePayment(payments, { checkoutId: 'c1', amountCents: 1000, token: 'tok_x' })).toEqual({
        ok: false,
        step: 'payment',
        code: ErrorCode.CardDeclined,
        reason: 'Card declined',
      });
    });
  });

  describe('confirmOrder', () => {
    it('confirms the reservation, then the order', async () => {
      const calls: string[] = [];
      const inventory = {
        confirm: (checkoutId: string) => (calls.push(`reservation ${checkoutId}`), Promise.resolve({ checkoutId, status: 'CONFIRMED' as const, items })),
      };
      const orders = { confirm: (orderId: string) => (calls.push(`order ${orderId}`), Promise.resolve({ ...order, status: 'CONFIRMED' as const })) };
      const outcome = await confirmOrder({ inventory, orders }, { checkoutId: 'c1', orderId: 'o1' });
      expect(outcome).toMatchObject({ ok: true, order: { status: 'CONFIRMED' }, reservation: { status: 'CONFIRMED' } });
      expect(calls).toEqual(['reservation c1', 'order o1']);
    });

    it('is refused at the confirmation step when a compensation released the stock first', async () => {
      const inventory = { confirm: async () => Promise.reject(new ConflictError(ErrorCode.ReservationReleased, 'released')) };
      const orders = { confirm: async () => Promise.reject(new NotFoundError(ErrorCode.OrderNotFound, 'never reached')) };
      expect(await confirmOrder({ inventory, orders }, { checkoutId: 'c1', orderId: 'o1' })).toEqual({
        ok: false,
        step: 'confirmation',
        code: ErrorCode.ReservationReleased,
        reason: 'released',
      });
    });
  });
});
