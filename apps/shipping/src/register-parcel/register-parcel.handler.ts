import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type EventEnvelope, deterministicEventId } from '@app/contracts';
import { OnEvent, RetriableError } from '@app/redis-streams';
import { parcelEvent } from '../parcel/parcel.events.js';
import { ParcelRepository } from '../parcel/parcel.repository.js';
import { ShippingOutboxRelay } from '../publish-events/shipping-outbox.relay.js';

/**
 * Registers a checkout's parcel when it succeeds, in either style: both publish `CheckoutSucceeded`.
 * The parcel and its `ParcelRegistered` are written in one transaction; a redelivered or repeated
 * `CheckoutSucceeded` finds the checkout's parcel registered and changes nothing.
 */
@Controller()
export class RegisterParcelHandler {
  constructor(
    private readonly parcels: ParcelRepository,
    private readonly relay: ShippingOutboxRelay,
  ) {}

  @OnEvent('CheckoutSucceeded')
  async register(@Payload() event: EventEnvelope<'CheckoutSucceeded'>): Promise<void> {
    const { checkoutId, clientId, orderId } = event.payload;
    const registered = await this.parcels
      .transaction(async (tx) => {
        const parcel = await this.parcels.register(tx, { checkoutId, clientId, orderId });
        if (parcel === undefined) return false;
        const context = { causationId: event.eventId, eventId: deterministicEventId(event.eventId, 'ParcelRegistered') };
        await this.parcels.queue(tx, [parcelEvent('ParcelRegistered', parcel, {}, context)]);
        return true;
      })
      .catch((error: unknown) => {
        // The database was away: the transaction rolled back, and the event is delivered again.
        throw new RetriableError(`Registering the parcel failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
    if (registered) this.relay.nudge();
  }
}
