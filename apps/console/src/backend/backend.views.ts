/** The shapes of the apps' answers the console reads (only the fields it shows). */

export interface GroupStats {
  name: string;
  consumers: number;
  pending: number;
  lag: number | null;
}

export interface StreamSummary {
  stream: string;
  busLength: number;
  storedEvents: number;
  deadLetters: number;
  groups: GroupStats[];
}

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  available: number;
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

export interface DeadLetter {
  id: string;
  stream: string;
  originalStream: string;
  originalId: string;
  group: string;
  consumer: string;
  attempts: number;
  error: string;
  deadLetteredAt: string;
  event: unknown;
}

export interface StuckCheckout {
  checkoutId: string;
  clientId: string;
  acceptedAt: string;
  stuckSince: string;
  ageMs: number;
  lastEventType: string;
  compensationRefused?: string;
}
