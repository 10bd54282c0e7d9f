import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, IdParam, NotFoundError } from '@app/contracts';
import { eventsOfCart, eventsOfCheckout } from '@app/event-store';
import { type CartView, type CheckoutReplay, foldCart, replayCheckout } from '@app/projections';

/** Rebuilds a checkout or a cart by folding its stored events. Reads only: replay has no side effects. */
@Controller('api/event-store/replay')
export class ReplayController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `:id` is a checkoutId (either style) or an orchestrated sagaId. */
  @Get('checkout/:id')
  async checkout(@Param() { id }: IdParam): Promise<CheckoutReplay & { events: number }> {
    const stored = await eventsOfCheckout(this.db, id);
    if (stored.length === 0) throw new NotFoundError(ErrorCode.CheckoutNotFound, `No events for checkout ${id}`);
    return { ...replayCheckout(stored.map((s) => s.event)), events: stored.length };
  }

  @Get('cart/:id')
  async cart(@Param() { id }: IdParam): Promise<{ cart: CartView; events: number }> {
    const stored = await eventsOfCart(this.db, id);
    const cart = foldCart(stored.map((s) => s.event));
    if (cart === undefined) throw new NotFoundError(ErrorCode.CartNotFound, `No events for cart ${id}`);
    return { cart, events: stored.length };
  }
}
