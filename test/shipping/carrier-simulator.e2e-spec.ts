import { eventually } from '@app/testing';
import { ShippingStack } from './shipping.fixture.js';

const simulated = (incidentRate: number) => ({ overrides: { settings: { carrier: { enabled: true, stepMs: 50, incidentRate } } } });

describe('the simulated carrier', () => {
  it('without incidents, ships and delivers a parcel on its own', async () => {
    const stack = await ShippingStack.start('carrier_smooth', simulated(0));
    try {
      await stack.succeeded('s-1', 'saga-orchestrator');
      await eventually(async () => expect((await stack.parcelsOf('s-1')).map((p) => p.status)).toEqual(['DELIVERED']), { timeoutMs: 15_000 });
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('with nothing but incidents, reships the parcel once, then refunds: the order REFUNDED, the authorization VOIDED', async () => {
    const stack = await ShippingStack.start('carrier_incidents', simulated(1));
    try {
      await stack.succeeded('s-2', 'order-confirmation-worker');
      const parcels = await eventually(
        async () => {
          const rows = await stack.parcelsOf('s-2');
          expect(rows.map((p) => p.status)).toEqual(['RESHIPPED', 'REFUNDED']);
          return rows;
        },
        { timeoutMs: 15_000 },
      );
      expect(parcels[1]!.replaces_parcel_id).toBe(parcels[0]!.parcel_id);
      expect(await stack.ledgerOf('s-2')).toEqual({ order: 'REFUNDED', authorization: 'VOIDED' });
    } finally {
      await stack.close();
    }
  }, 60_000);
});
