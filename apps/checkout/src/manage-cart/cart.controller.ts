import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IdParam, LineItemDto } from '@app/contracts';
import type { CartView } from '@app/projections';
import { CartItemParams, CreateCartDto } from './cart.dto.js';
import { ManageCartHandler } from './manage-cart.handler.js';

/** The event-sourced cart: every answer is the fold of the cart's events. */
@Controller('carts')
export class CartController {
  constructor(private readonly handler: ManageCartHandler) {}

  /** 201 with the new, empty cart and its Location. */
  @Post()
  async create(@Body() { clientId }: CreateCartDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CartView> {
    const cart = await this.handler.create(clientId);
    void reply.header('location', `/carts/${cart.cartId}`);
    return cart;
  }

  /** Adds units of a SKU (added to the line when it is there). 404 unknown cart, 409 checked out. */
  @Post(':id/items')
  @HttpCode(200)
  addItem(@Param() { id }: IdParam, @Body() { sku, quantity }: LineItemDto): Promise<CartView> {
    return this.handler.change(id, { type: 'AddItem', sku, quantity });
  }

  /** Removes a SKU's line; removing one that is not there changes nothing. */
  @Delete(':id/items/:sku')
  removeItem(@Param() { id, sku }: CartItemParams): Promise<CartView> {
    return this.handler.change(id, { type: 'RemoveItem', sku });
  }

  @Get(':id')
  get(@Param() { id }: IdParam): Promise<CartView> {
    return this.handler.get(id);
  }
}
