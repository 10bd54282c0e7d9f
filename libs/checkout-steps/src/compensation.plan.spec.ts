import { ConflictError, ErrorCode } from '@app/contracts';
import { compensationPlan, planUnlessConfirmed } from './compensation.plan.js';
import { runPlan } from './compensation.steps.js';

describe('compensation plan', () => {
  it('undoes the steps done before the one that stopped, latest first', () => {
    expect(compensationPlan('checkAvailability', { ownEffect: false })).toEqual([]);
    expect(compensationPlan('reserveStock', { ownEffect: false })).toEqual([]);
    expect(compensationPlan('createOrder', { ownEffect: false })).toEqual(['releaseStock']);
    expect(compensationPlan('authorizePayment', { ownEffect: false })).toEqual(['cancelOrder', 'releaseStock']);
    expect(compensationPlan('confirmOrder', { ownEffect: false })).toEqual(['voidPayment', 'cancelOrder', 'releaseStock']);
  });

  it('adds the stopped step’s own compensation when it may have taken effect (in flight, or no answer)', () => {
    expect(compensationPlan('checkAvailability', { ownEffect: true })).toEqual([]);
    expect(compensationPlan('reserveStock', { ownEffect: true })).toEqual(['releaseStock']);
    expect(compensationPlan('createOrder', { ownEffect: true })).toEqual(['cancelOrder', 'releaseStock']);
    expect(compensationPlan('authorizePayment', { ownEffect: true })).toEqual(['voidPayment', 'cancelOrder', 'releaseStock']);
    // The confirmation has no compensation of its own: undoing a sale is undoing what it is made of.
    expect(compensationPlan('confirmOrder', { ownEffect: true })).toEqual(['voidPayment', 'cancelOrder', 'releaseStock']);
  });

  it('when the confirmation must stand, fences with a cancel a confirmed order refuses, then undoes the rest', () => {
    expect(planUnlessConfirmed()).toEqual(['cancelOrderUnlessConfirmed', 'voidPayment', 'releaseStock']);
  });

  describe('runPlan', () => {
    const participants = (calls: string[], confirmed = false) => ({
      inventory: { release: (id: string) => (calls.push(`release ${id}`), Promise.resolve({ checkoutId: id, status: 'RELEASED' as const, items: [] })) },
      orders: {
        cancelByCheckout: (id: string, options?: { unlessConfirmed?: boolean }) => {
          calls.push(`cancel ${id}${options?.unlessConfirmed === true ? ' unless confirmed' : ''}`);
          if (confirmed) return Promise.reject(new ConflictError(ErrorCode.OrderConfirmed, 'confirmed', { orderId: 'o1' }));
          return Promise.resolve({ checkoutId: id, status: 'CANCELLED' as const });
        },
      },
      payments: { void: (id: string) => (calls.push(`void ${id}`), Promise.resolve({ checkoutId: id, status: 'VOIDED' as const, amountCents: 1 })) },
    });

    it('calls the participants in plan order and answers with what each returned', async () => {
      const calls: string[] = [];
      const answers = await runPlan(participants(calls), planUnlessConfirmed(), 'c1');
      expect(calls).toEqual(['cancel c1 unless confirmed', 'void c1', 'release c1']);
      expect(answers).toEqual([
        { checkoutId: 'c1', status: 'CANCELLED' },
        expect.objectContaining({ status: 'VOIDED' }),
        expect.objectContaining({ status: 'RELEASED' }),
      ]);
    });

    it('undoes nothing after the fence when the order is confirmed', async () => {
      const calls: string[] = [];
      await expect(runPlan(participants(calls, true), planUnlessConfirmed(), 'c1')).rejects.toMatchObject({ code: ErrorCode.OrderConfirmed });
      expect(calls).toEqual(['cancel c1 unless confirmed']);
    });
  });
});
