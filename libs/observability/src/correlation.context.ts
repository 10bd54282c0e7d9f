import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ correlationId: string }>();

/** Runs `fn` with `correlationId` attached to every log line written inside it, across awaits. */
export function withCorrelation<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** The correlation id of the checkout, saga or cart being worked on, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
