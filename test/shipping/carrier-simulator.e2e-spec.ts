import { eventually } from '@app/testing';
import { PARCELS_DUE_A_MOVE } from '../../apps/shipping/src/carrier-simulator/carrier.simulator.js';
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

  it('finds the parcels due a move through an index, whatever the count of parcels delivered long ago', async () => {
    const stack = await ShippingStack.start('carrier_index');
    try {
      // The plan the planner takes when reading the table whole is not an option: only an index can serve the query.
      const plan = await stack.shippingDb.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        return tx.query<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${PARCELS_DUE_A_MOVE.replace('$1', '5000').replace('$2', '200')}`);
      });
      const text = JSON.stringify(plan);
      expect(text).toContain('parcels_awaiting_carrier');
      expect(text).not.toContain('Seq Scan');
    } finally {
      await stack.close();
    }
  }, 60_000);
});
