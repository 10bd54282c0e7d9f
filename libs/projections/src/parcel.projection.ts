import type { AnyEvent, IncidentKind, IncidentResolution } from '@app/contracts';

/** A parcel's status as its events tell it. */
export type ParcelStatus = 'REGISTERED' | 'SHIPPED' | 'DELIVERED' | 'INCIDENT' | 'RESHIPPED' | 'REFUNDED';

/** One event of a parcel's life, as `GET /parcels/:id` lists it. */
export interface ParcelTimelineEntry {
  at: string;
  type: string;
  eventId: string;
  detail?: string;
}

/** The parcel read model behind `GET /parcels/:id` and `GET /parcels?clientId=`. */
export interface ParcelView {
  parcelId: string;
  checkoutId: string;
  clientId: string;
  orderId: string;
  status: ParcelStatus;
  /** The parcel whose incident this one reships. */
  replacesParcelId?: string;
  /** The parcel that reships this one. */
  replacedByParcelId?: string;
  incident?: { kind: IncidentKind; detail?: string; resolution?: IncidentResolution };
  registeredAt: string;
  updatedAt: string;
  /** Events folded so far: grows by one with each, so a cached copy can tell it is older than the read model. */
  version: number;
  timeline: ParcelTimelineEntry[];
}

/** The parcel an event is about, or undefined for events that are not about a parcel. */
export function parcelIdOf(event: AnyEvent): string | undefined {
  switch (event.type) {
    case 'ParcelRegistered':
    case 'ParcelShipped':
    case 'ParcelDelivered':
    case 'IncidentDeclared':
    case 'IncidentResolved':
      return event.payload.parcelId;
    default:
      return undefined;
  }
}

function detailOf(event: AnyEvent): string | undefined {
  switch (event.type) {
    case 'IncidentDeclared':
      return event.payload.detail === undefined ? event.payload.kind : `${event.payload.kind}: ${event.payload.detail}`;
    case 'IncidentResolved':
      return event.payload.newParcelId === undefined ? event.payload.resolution : `${event.payload.resolution} as ${event.payload.newParcelId}`;
    case 'ParcelRegistered':
      return event.payload.replacesParcelId === undefined ? undefined : `reships ${event.payload.replacesParcelId}`;
    default:
      return undefined;
  }
}

/**
 * Folds one event into a parcel's view (pure). The shipping app publishes a parcel's events in the
 * order of its transitions, so the status is the last event's; other events leave the view unchanged.
 */
export function evolveParcel(view: ParcelView | undefined, event: AnyEvent): ParcelView | undefined {
  if (parcelIdOf(event) === undefined) return view;
  const { parcelId, checkoutId, clientId, orderId } = event.payload as { parcelId: string; checkoutId: string; clientId: string; orderId: string };
  const current: ParcelView = view ?? {
    parcelId,
    checkoutId,
    clientId,
    orderId,
    status: 'REGISTERED',
    registeredAt: event.occurredAt,
    updatedAt: event.occurredAt,
    version: 0,
    timeline: [],
  };
  const detail = detailOf(event);
  const next: ParcelView = {
    ...current,
    updatedAt: event.occurredAt,
    version: current.version + 1,
    timeline: [...current.timeline, { at: event.occurredAt, type: event.type, eventId: event.eventId, ...(detail !== undefined && { detail }) }],
  };
  switch (event.type) {
    case 'ParcelRegistered':
      return {
        ...next,
        status: 'REGISTERED',
        registeredAt: event.occurredAt,
        ...(event.payload.replacesParcelId !== undefined && { replacesParcelId: event.payload.replacesParcelId }),
      };
    case 'ParcelShipped':
      return { ...next, status: 'SHIPPED' };
    case 'ParcelDelivered':
      return { ...next, status: 'DELIVERED' };
    case 'IncidentDeclared':
      return {
        ...next,
        status: 'INCIDENT',
        incident: { kind: event.payload.kind, ...(event.payload.detail !== undefined && { detail: event.payload.detail }) },
      };
    case 'IncidentResolved': {
      const { resolution, newParcelId } = event.payload;
      return {
        ...next,
        status: resolution,
        ...(current.incident !== undefined && { incident: { ...current.incident, resolution } }),
        ...(newParcelId !== undefined && { replacedByParcelId: newParcelId }),
      };
    }
    default:
      return view;
  }
}
