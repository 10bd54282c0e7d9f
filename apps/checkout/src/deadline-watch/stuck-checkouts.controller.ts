import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DeadlineWorkerClient } from './deadline-worker.client.js';

@Controller('checkout')
export class StuckCheckoutsController {
  constructor(private readonly deadline: DeadlineWorkerClient) {}

  /**
   * The choreographed checkouts past CHECKOUT_DEADLINE_MS with no terminal event, oldest first, as
   * the checkout-deadline worker's last scan found them (id, age, last event), `{ items }`.
   */
  @Get('stuck')
  async stuck(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const answer = await this.deadline.forward('GET', '/checkout/stuck');
    void reply.status(answer.status);
    return answer.body;
  }
}
