import { STREAMS } from '@app/contracts';
import { eventually } from '@app/testing';
import { ShippingStack } from './shipping.fixture.js';

describe('a refund while the payments service is away', () => {
  let stack: ShippingStack;

  beforeAll(async () => {
    // The scan takes up an unfinished refund 200 ms after it was decided; the calls give up fast.
    stack = await ShippingStack.start('refund_recovery', { overrides: { settings: { refundRetryMs: 200 }, participants: { payments: { retries: 1 } } } });
  }, 60_000);

  afterAll(async () => {
    await stack.close();
  });

  it('answers 503 and keeps the decision (REFUNDING); once payments is back, the scan finishes the refund, once', async () => {
    await stack.succeeded('rr-1', 'order-confirmation-worker');
    const parcelId = await stack.parcelOf('rr-1');
    await stack.callback(parcelId, 'incidents', { kind: 'LOST' }).expect(200);
    const restart = await stack.stopPayments();

    const refused = await stack.callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(503);
    expect(refused.body).toMatchObject({ code: 'PAYMENTS.UNAVAILABLE' });
    expect((await stack.parcelsOf('rr-1')).map((p) => p.status)).toEqual(['REFUNDING']);
    await stack.callback(parcelId, 'incident/resolution', { resolution: 'RESHIPPED' }).expect(409);

    await restart();
    await eventually(async () => expect((await stack.parcelsOf('rr-1')).map((p) => p.status)).toEqual(['REFUNDED']), { timeoutMs: 20_000 });
    expect(await stack.ledgerOf('rr-1')).toEqual({ order: 'REFUNDED', authorization: 'VOIDED' });
    await stack.callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(200);
    const resolved = (await stack.redis.xrange(`${stack.config.REDIS_KEY_PREFIX}${STREAMS.shipping}`, '-', '+')).filter(([, fields]) =>
      fields.includes('IncidentResolved'),
    );
    expect(resolved).toHaveLength(1);
  }, 60_000);
});
