/** Why a parcel stopped: the carrier lost or damaged it, or nothing was heard of it before its deadline. */
export type IncidentKind = 'LOST' | 'DAMAGED' | 'DEADLINE';

/** How an incident ends: a new parcel replaces the old one, or the client is refunded. */
export type IncidentResolution = 'RESHIPPED' | 'REFUNDED';

export const INCIDENT_KINDS: readonly IncidentKind[] = ['LOST', 'DAMAGED', 'DEADLINE'];
export const INCIDENT_RESOLUTIONS: readonly IncidentResolution[] = ['RESHIPPED', 'REFUNDED'];

interface ParcelRef {
  parcelId: string;
  checkoutId: string;
  clientId: string;
  orderId: string;
}

/**
 * Payloads of the parcel's life on `ecommerce.shipping.events`, published by the shipping app after
 * a checkout succeeded (in either style). The seed's French names: `ColisCree` is ParcelRegistered,
 * `ColisExpedie` ParcelShipped, `ColisLivre` ParcelDelivered, `IncidentDeclare` IncidentDeclared,
 * `IncidentResolue` IncidentResolved.
 */
export interface ShippingEvents {
  /** `replacesParcelId`: the parcel whose incident this one reships. */
  ParcelRegistered: ParcelRef & { replacesParcelId?: string };
  ParcelShipped: ParcelRef & { carrierRef?: string };
  ParcelDelivered: ParcelRef;
  IncidentDeclared: ParcelRef & { kind: IncidentKind; detail?: string };
  /** `newParcelId` with RESHIPPED: the replacement parcel, registered in the same transaction. */
  IncidentResolved: ParcelRef & { resolution: IncidentResolution; newParcelId?: string };
}
