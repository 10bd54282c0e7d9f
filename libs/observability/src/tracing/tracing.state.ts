/** What the tracing SDK offers once started: flushing what it holds. */
interface StartedTracing {
  forceFlush(): Promise<void>;
}

let started: StartedTracing | undefined;

/** Called once the SDK is running (the preload module). */
export function markTracingStarted(provider: StartedTracing): void {
  started = provider;
}

/** Whether this process traces. Off (the default), every tracing helper runs its work bare, at no cost. */
export function isTracing(): boolean {
  return started !== undefined;
}

/** Exports the spans still batched, before the process exits; nothing to do when tracing is off. */
export async function flushTraces(): Promise<void> {
  await started?.forceFlush().catch(() => undefined);
}
