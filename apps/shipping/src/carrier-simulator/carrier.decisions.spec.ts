import { carrierMoveFor } from './carrier.decisions.js';

describe('simulated carrier', () => {
  const fresh = { isReshipment: false };

  it('moves a parcel along the happy path when the draw is above the incident rate', () => {
    expect(carrierMoveFor({ ...fresh, status: 'REGISTERED' }, 0.1, 0.5)).toMatchObject({ kind: 'ship' });
    expect(carrierMoveFor({ ...fresh, status: 'SHIPPED' }, 0.1, 0.5)).toEqual({ kind: 'deliver' });
    expect(carrierMoveFor({ ...fresh, status: 'DELIVERED' }, 0.1, 0.5)).toBeUndefined();
  });

  it('declares an incident when the draw is below the rate: lost before shipping, lost or damaged in transit', () => {
    expect(carrierMoveFor({ ...fresh, status: 'REGISTERED' }, 0.1, 0.05)).toMatchObject({ kind: 'declare-incident', incident: 'LOST' });
    expect(carrierMoveFor({ ...fresh, status: 'SHIPPED' }, 0.1, 0.01)).toMatchObject({ incident: 'LOST' });
    expect(carrierMoveFor({ ...fresh, status: 'SHIPPED' }, 0.1, 0.09)).toMatchObject({ incident: 'DAMAGED' });
    expect(carrierMoveFor({ ...fresh, status: 'SHIPPED' }, 0, 0)).toEqual({ kind: 'deliver' });
  });

  it('reships a first incident and refunds the incident of a reshipment', () => {
    expect(carrierMoveFor({ status: 'INCIDENT', isReshipment: false }, 0, 0.5)).toEqual({ kind: 'resolve', resolution: 'RESHIPPED' });
    expect(carrierMoveFor({ status: 'INCIDENT', isReshipment: true }, 0, 0.5)).toEqual({ kind: 'resolve', resolution: 'REFUNDED' });
  });
});
