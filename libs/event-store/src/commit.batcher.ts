export interface CommitBatcherOptions<T> {
  /** Writes a batch in one transaction; a rejection fails the batch. */
  commit: (items: T[]) => Promise<void>;
  /** A batch is written as soon as it holds this many items. */
  maxBatch: number;
  /** How long the first item of a batch waits for others when nothing is being written. */
  lingerMs: number;
  /** The order items of a batch are written in, and retried one by one in after a failure. Default: as added. */
  order?: (a: T, b: T) => number;
}

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for stream handlers: the handlers of many entries in flight each `add` their item and
 * are answered together once one transaction holding all of them committed, so an entry is still
 * acknowledged only after its own write. One batch is written at a time; items arriving meanwhile
 * form the next one. A failed batch is written again item by item, so one bad item fails alone
 * instead of taking its neighbours into every redelivery with it.
 */
export class CommitBatcher<T> {
  private waiting: Waiter<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing = false;

  constructor(private readonly options: CommitBatcherOptions<T>) {}

  /** Resolves once a transaction holding `item` committed; rejects with the error it failed with. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    const { order } = this.options;
    if (order !== undefined) batch.sort((a, b) => order(a.item, b.item));
    void this.write(batch).finally(() => {
      this.writing = false;
      // Whatever arrived during the write has waited long enough.
      this.flush();
    });
  }

  private async write(batch: Waiter<T>[]): Promise<void> {
    try {
      await this.options.commit(batch.map((w) => w.item));
      batch.forEach((w) => w.resolve());
      return;
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
    }
    for (const waiter of batch) {
      await this.options.commit([waiter.item]).then(waiter.resolve, waiter.reject);
    }
  }
}
