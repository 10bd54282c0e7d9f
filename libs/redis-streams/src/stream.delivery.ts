/** One delivery of a stream entry to this consumer. */
export interface Delivery {
  /** The stream key as stored (prefix included). */
  stream: string;
  /** The stream name without prefix: the `topic` of metrics and of the handler context. */
  topic: string;
  id: string;
  /** `null` when the entry was trimmed after an earlier delivery. */
  fields: string[] | null;
  /** Deliveries of the entry to the group so far, this one included (Redis' delivery counter). */
  attempt: number;
}

/** A stream reply entry: `[id, [field, value, ...]]`. */
export type RawEntry = [id: string, fields: string[] | null];
