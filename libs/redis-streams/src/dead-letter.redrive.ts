import { TYPE_STREAMS, deadLetterStreamOf } from '@app/contracts';
import type { Redis } from 'ioredis';
import { ENVELOPE_FIELD, TYPE_FIELD } from './stream-entry.codec.js';

/** A dead-lettered entry as operators see it. */
export interface StoredDeadLetter {
  /** Its id on `<stream>.dlq`. */
  id: string;
  /** The stream it came from (prefix included). */
  originalStream: string;
  originalId: string;
  group: string;
  consumer: string;
  attempts: number;
  error: string;
  deadLetteredAt: string;
  /** The original envelope (parsed) when the entry carried one; otherwise the raw fields. */
  event: unknown;
}

/** Attempts at a redrive when the dead-letter stream changes under it (another operator, a new letter). */
const REDRIVE_ATTEMPTS = 5;

function toRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return record;
}

function parseJson(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function toDeadLetter(id: string, fields: readonly string[]): StoredDeadLetter {
  const r = toRecord(fields);
  return {
    id,
    originalStream: r['originalStream'] ?? '',
    originalId: r['originalId'] ?? '',
    group: r['group'] ?? '',
    consumer: r['consumer'] ?? '',
    attempts: Number(r['attempts'] ?? 0),
    error: r['error'] ?? '',
    deadLetteredAt: r['deadLetteredAt'] ?? '',
    event: r[ENVELOPE_FIELD] !== undefined ? parseJson(r[ENVELOPE_FIELD]) : parseJson(r['fields']),
  };
}

/** The fields of the entry a dead letter was made from, as they were. */
function originalOf(letter: Record<string, string>): string[] {
  const envelope = letter[ENVELOPE_FIELD];
  if (envelope === undefined) return JSON.parse(letter['fields'] ?? '[]') as string[];
  const type = letter[TYPE_FIELD];
  return type === undefined ? [ENVELOPE_FIELD, envelope] : [ENVELOPE_FIELD, envelope, TYPE_FIELD, type];
}

/**
 * The dead letters of `stream` (the key as stored, prefix included), oldest first, starting after
 * the dead-letter id `after` (exclusive) when given.
 */
export async function listDeadLetters(redis: Redis, stream: string, options: { after?: string; limit: number }): Promise<StoredDeadLetter[]> {
  const start = options.after === undefined ? '-' : `(${options.after}`;
  const entries = (await redis.xrange(deadLetterStreamOf(stream), start, '+', 'COUNT', options.limit)) as [string, string[]][];
  return entries.map(([id, fields]) => toDeadLetter(id, fields));
}

/**
 * The stream a dead letter of `stream` goes back to: the one it was read from, which is `stream` or
 * one of its type streams (`<stream>.<Type>`), so the groups that gave up on it see it again;
 * `stream` itself when the letter names anything else.
 */
function returnStreamOf(stream: string, letter: Record<string, string>): string {
  const from = letter['originalStream'];
  // `stream` is a key (prefix included): a type stream's key is it followed by what the type stream's name adds to its stream's.
  const typeStream = [...TYPE_STREAMS].some(([name, of]) => stream.endsWith(of) && from === `${stream}${name.slice(of.length)}`);
  return typeStream && from !== undefined ? from : stream;
}

/**
 * Moves a dead letter back onto the stream it was read from once its cause is fixed: appends the
 * original entry again (a new id, so every group of that stream sees it once more, which idempotent
 * handlers make safe) and deletes it from the dead-letter stream, in one transaction watched against
 * concurrent redrives, so a letter is moved at most once. Resolves with the new entry id, or `undefined` when there is no such letter.
 */
export async function redriveDeadLetter(redis: Redis, stream: string, deadLetterId: string): Promise<string | undefined> {
  const dlq = deadLetterStreamOf(stream);
  for (let attempt = 0; attempt < REDRIVE_ATTEMPTS; attempt++) {
    // A dedicated connection: WATCH state belongs to the connection, and the caller's may be shared.
    const watcher = redis.duplicate();
    try {
      await watcher.watch(dlq);
      const [entry] = (await watcher.xrange(dlq, deadLetterId, deadLetterId)) as [string, string[]][];
      if (entry === undefined) return undefined;
      const letter = toRecord(entry[1]);
      const replies = await watcher
        .multi()
        .xadd(returnStreamOf(stream, letter), '*', ...originalOf(letter))
        .xdel(dlq, deadLetterId)
        .exec();
      if (replies === null) continue;
      const failure = replies.find(([error]) => error !== null)?.[0];
      if (failure) throw failure;
      return String(replies[0]?.[1]);
    } finally {
      watcher.disconnect();
    }
  }
  throw new Error(`Dead letter ${deadLetterId} of ${stream} kept changing; try again`);
}

/** Redrives every dead letter of `stream` present now; resolves with how many were moved. */
export async function redriveAllDeadLetters(redis: Redis, stream: string): Promise<number> {
  let moved = 0;
  let after: string | undefined;
  for (;;) {
    const page = await listDeadLetters(redis, stream, { limit: 500, ...(after !== undefined && { after }) });
    if (page.length === 0) return moved;
    for (const letter of page) if ((await redriveDeadLetter(redis, stream, letter.id)) !== undefined) moved++;
    after = page[page.length - 1]!.id;
  }
}
