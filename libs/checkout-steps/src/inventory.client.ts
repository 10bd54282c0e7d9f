import type { AvailabilityReport, LineItem, Reservation } from '@app/contracts';
import { ParticipantClient } from './participant.client.js';
import type { ParticipantClientOptions } from './participant-client.options.js';

/** The inventory service: availability, prices and reservations per checkout. */
export class InventoryClient extends ParticipantClient {
  constructor(options: ParticipantClientOptions) {
    super('inventory', options);
  }

  /** Unknown and short SKUs and the current prices; reads only. */
  checkAvailability(items: readonly LineItem[]): Promise<AvailabilityReport> {
    return this.http.call('checkAvailability', 'POST', '/inventory/availability', { items });
  }

  /**
   * Holds every item for the checkout, or none.
   * @throws NotFoundError `INVENTORY.UNKNOWN_SKU`; ConflictError `INVENTORY.INSUFFICIENT_STOCK` or
   * `INVENTORY.RESERVATION_RELEASED` (released before it was reserved).
   */
  reserve(checkoutId: string, items: readonly LineItem[]): Promise<Reservation> {
    return this.http.call('reserveStock', 'POST', '/inventory/reservations', { checkoutId, items });
  }

  /** Puts the checkout's stock back; leaves a tombstone when nothing was reserved yet. Idempotent. */
  release(checkoutId: string): Promise<Reservation> {
    return this.http.call('releaseStock', 'POST', `/inventory/reservations/${encodeURIComponent(checkoutId)}/release`);
  }

  /**
   * Turns the reservation into a sale.
   * @throws ConflictError `INVENTORY.RESERVATION_RELEASED`; NotFoundError `INVENTORY.RESERVATION_NOT_FOUND`.
   */
  confirm(checkoutId: string): Promise<Reservation> {
    return this.http.call('confirmReservation', 'POST', `/inventory/reservations/${encodeURIComponent(checkoutId)}/confirm`);
  }
}
