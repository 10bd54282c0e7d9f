import { type ParcelView, evolveParcel, parcelIdOf } from './parcel.projection.js';
import { event } from './test-events.js';

const ref = { parcelId: 'p-1', checkoutId: 'k-1', clientId: 'ann', orderId: 'o-1' };
const fold = (...events: ReturnType<typeof event>[]) => events.reduce<ParcelView | undefined>(evolveParcel, undefined);

describe('parcel projection', () => {
  it('follows a parcel to its delivery, one version per event, with its timeline', () => {
    const view = fold(event('ParcelRegistered', ref), event('ParcelShipped', { ...ref, carrierRef: 'TRK-1' }), event('ParcelDelivered', ref));
    expect(view).toMatchObject({ ...ref, status: 'DELIVERED', version: 3 });
    expect(view?.timeline.map((t) => t.type)).toEqual(['ParcelRegistered', 'ParcelShipped', 'ParcelDelivered']);
    expect(view?.registeredAt).toBe(view?.timeline[0]?.at);
  });

  it('records an incident and its resolution, and names the parcel that reships it', () => {
    const view = fold(
      event('ParcelRegistered', ref),
      event('IncidentDeclared', { ...ref, kind: 'DAMAGED', detail: 'crushed' }),
      event('IncidentResolved', { ...ref, resolution: 'RESHIPPED', newParcelId: 'p-2' }),
    );
    expect(view).toMatchObject({ status: 'RESHIPPED', incident: { kind: 'DAMAGED', detail: 'crushed', resolution: 'RESHIPPED' }, replacedByParcelId: 'p-2' });
    expect(view?.timeline.map((t) => t.detail)).toEqual([undefined, 'DAMAGED: crushed', 'RESHIPPED as p-2']);
    const refunded = fold(
      event('ParcelRegistered', ref),
      event('IncidentDeclared', { ...ref, kind: 'LOST' }),
      event('IncidentResolved', { ...ref, resolution: 'REFUNDED' }),
    );
    expect(refunded).toMatchObject({ status: 'REFUNDED', incident: { kind: 'LOST', resolution: 'REFUNDED' } });
    expect(fold(event('ParcelRegistered', { ...ref, parcelId: 'p-2', replacesParcelId: 'p-1' }))).toMatchObject({ parcelId: 'p-2', replacesParcelId: 'p-1' });
  });

  it('leaves other events alone', () => {
    const other = event('CheckoutSucceeded', { checkoutId: 'k-1', clientId: 'ann', orderId: 'o-1', totalCents: 100 });
    expect(parcelIdOf(other)).toBeUndefined();
    expect(evolveParcel(undefined, other)).toBeUndefined();
    const view = fold(event('ParcelRegistered', ref));
    expect(evolveParcel(view, other)).toBe(view);
  });
});
