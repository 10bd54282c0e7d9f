/** The Redis streams of the system (before any REDIS_KEY_PREFIX). */
export const STREAMS = {
  checkout: 'ecommerce.checkout.events',
  saga: 'ecommerce.saga.events',
  carts: 'ecommerce.carts.events',
  shipping: 'ecommerce.shipping.events',
} as const;

export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

/** Dead-letter stream of a stream. */
export const deadLetterStreamOf = (stream: string): string => `${stream}.dlq`;
