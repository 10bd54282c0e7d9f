import { SagaState, isSagaState, isTerminalSagaState } from '@app/contracts';
import type { SagaAnswer } from './saga-orchestrator.client.js';

/** The answer to a cart checkout: its status, its body, and the checkout it started. */
export interface CartCheckoutAnswer {
  status: number;
  checkoutId?: string;
  body: Record<string, unknown>;
}

/**
 * The orchestrator's answer as the answer to a cart checkout. A saga's status view (a repeated
 * checkout of the cart) is answered the way its checkout was: 201 succeeded, 409 compensated, 202 running.
 */
export function cartCheckoutAnswerOf(answer: SagaAnswer, cartId: string): CartCheckoutAnswer {
  const origin = { cartId, mode: 'orchestrated' };
  const { body } = answer;
  if (answer.status !== 200) return { status: answer.status, checkoutId: body.checkoutId, body: { ...body, ...origin } };
  const failure = (body['data'] as { failure?: { reason?: string } } | undefined)?.failure;
  const state = isSagaState(body.state) ? body.state : undefined;
  const status = state === SagaState.SAGA_TERMINEE ? 201 : state !== undefined && isTerminalSagaState(state) ? 409 : 202;
  const shown = { ...pick(body, ['sagaId', 'checkoutId', 'clientId', 'state', 'orderId', 'totalCents', 'failedStep', 'code']), reason: failure?.reason };
  return { status, checkoutId: body.checkoutId, body: { ...withoutUndefined(shown), ...origin } };
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, body[k]]));
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
