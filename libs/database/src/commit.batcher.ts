export interface CommitBatcherOptions<T, R = void> {
  /**
   * Writes a batch in one transaction; a rejection fails the batch. What it answers for each item,
   * in the order of the items it was given, is what that item's `add` resolves with.
   */
  commit: (items: T[]) => Promise<R[] | void>;
  /** A batch is written as soon as it holds this many items. */
  maxBatch: number;
  /**
   * How long the first item of a batch waits for others when nothing is being written. With 0 it
   * does not wait: an item is written at once when no write is under way, and otherwise joins the
   * next batch, which starts as soon as the write under way ends.
   */
  lingerMs: number;
  /** The order items of a batch are written in, and retried one by one in after a failure. Default: as added. */
  order?: (a: T, b: T) => number;
}

interface Waiter<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for stream handlers: the handlers of many entries in flight each `add` their item and
 * are answered together once one transaction holding all of them committed, so an entry is still
 * acknowledged only after its own write. One batch is written at a time; items arriving meanwhile
 * form the next one. A failed batch is written again item by item, so one bad item fails alone
 * instead of taking its neighbours into every redelivery with it.
 */
export class CommitBatcher<T, R = void> {
  private waiting: Waiter<T, R>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing = false;

  constructor(private readonly options: CommitBatcherOptions<T, R>) {}

  /** Resolves once a transaction holding `item` committed, with what the write answered for it; rejects with the error it failed with. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.options.maxBatch || this.options.lingerMs === 0) this.flush();
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

  private async write(batch: Waiter<T, R>[]): Promise<void> {
    try {
      const results = await this.options.commit(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results?.[i] as R));
      return;
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
    }
    for (const waiter of batch) {
      await this.options.commit([waiter.item]).then((results) => waiter.resolve(results?.[0] as R), waiter.reject);
    }
  }
}
