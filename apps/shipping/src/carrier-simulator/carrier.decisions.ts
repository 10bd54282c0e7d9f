import type { ParcelMove, ParcelState } from '../parcel/parcel.machine.js';

/** A parcel as the simulated carrier sees it. */
export interface CarriedParcel {
  status: ParcelState;
  /** Whether it is itself a reshipment: a second incident is refunded rather than reshipped again. */
  isReshipment: boolean;
}

/**
 * The simulated carrier's next move for a parcel (pure): along the happy path, or, with probability
 * `incidentRate` (`draw` in [0, 1)), an incident (lost before shipping, lost or damaged in transit).
 * It also stands in for customer service: an incident is reshipped once, then refunded.
 */
export function carrierMoveFor(parcel: CarriedParcel, incidentRate: number, draw: number): ParcelMove | undefined {
  const incident = draw < incidentRate;
  switch (parcel.status) {
    case 'REGISTERED':
      return incident ? { kind: 'declare-incident', incident: 'LOST', detail: 'never collected' } : { kind: 'ship', carrierRef: 'SIM' };
    case 'SHIPPED':
      return incident ? { kind: 'declare-incident', incident: draw < incidentRate / 2 ? 'LOST' : 'DAMAGED', detail: 'in transit' } : { kind: 'deliver' };
    case 'INCIDENT':
      return { kind: 'resolve', resolution: parcel.isReshipment ? 'REFUNDED' : 'RESHIPPED' };
    case 'DELIVERED':
    case 'REFUNDING':
    case 'RESHIPPED':
    case 'REFUNDED':
      return undefined;
  }
}
