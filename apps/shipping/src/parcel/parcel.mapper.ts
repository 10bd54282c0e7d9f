import type { IncidentKind } from '@app/contracts';
import type { ParcelState } from './parcel.machine.js';

/** A parcels row as PostgreSQL returns it. */
export interface ParcelRow {
  parcel_id: string;
  checkout_id: string;
  client_id: string;
  order_id: string;
  status: ParcelState;
  replaces_parcel_id: string | null;
  carrier_ref: string | null;
  incident_kind: IncidentKind | null;
  incident_detail: string | null;
  last_news_at: Date;
}

/** A parcel as the carrier callbacks answer it: the shipping app's own record, at once (the queries serve the read model). */
export interface Parcel {
  parcelId: string;
  checkoutId: string;
  clientId: string;
  orderId: string;
  status: ParcelState;
  replacesParcelId?: string;
  carrierRef?: string;
  incident?: { kind: IncidentKind; detail?: string };
  lastNewsAt: string;
}

export const toParcel = (row: ParcelRow): Parcel => ({
  parcelId: row.parcel_id,
  checkoutId: row.checkout_id,
  clientId: row.client_id,
  orderId: row.order_id,
  status: row.status,
  ...(row.replaces_parcel_id !== null && { replacesParcelId: row.replaces_parcel_id }),
  ...(row.carrier_ref !== null && { carrierRef: row.carrier_ref }),
  ...(row.incident_kind !== null && { incident: { kind: row.incident_kind, ...(row.incident_detail !== null && { detail: row.incident_detail }) } }),
  lastNewsAt: row.last_news_at.toISOString(),
});
