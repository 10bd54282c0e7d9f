import type { StoredDeadLetter, StreamGroupStats } from '@app/redis-streams';

/** The shapes of the apps' answers the console reads; where a lib defines one, its type is used. */

export type { Product } from '@app/contracts';

export interface StreamSummary {
  stream: string;
  busLength: number;
  storedEvents: number;
  deadLetters: number;
  groups: StreamGroupStats[];
}

export interface SagaSummary {
  sagaId: string;
  checkoutId: string;
  clientId: string;
  state: string;
  terminal: boolean;
  failedStep?: string;
  code?: string;
  attempt: number;
  createdAt: string;
  updatedAt: string;
}

export interface SagaStatus extends SagaSummary {
  data: Record<string, unknown>;
  transitions: { seq: number; from: string | null; to: string; at: string; detail: unknown; attempt: number }[];
}

export interface CheckoutStatus {
  checkoutId: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  orderId?: string;
  failedStep?: string;
  code?: string;
  reason?: string;
}

/** A dead letter as the event store lists it: with the stream it belongs to. */
export type DeadLetter = StoredDeadLetter & { stream: string };

export interface StuckCheckout {
  checkoutId: string;
  clientId: string;
  acceptedAt: string;
  stuckSince: string;
  ageMs: number;
  lastEventType: string;
  compensationRefused?: string;
}
