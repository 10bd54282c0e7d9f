import { type StoredDeadLetter, compareEntryIds } from '@app/redis-streams';
import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { type JetStreamNames, entryIdOf, sequenceOfEntryId } from './jetstream.names.js';

/** A message given up on, as written to its stream's dead-letter stream. */
export interface JetStreamDeadLetter {
  /** The stream it came from, as `STREAMS` names it. */
  stream: string;
  subject: string;
  /** Its entry id (`<ms>-<seq>`). */
  id: string;
  group: string;
  consumer: string;
  attempts: number;
  error: string;
  /** The message's data as it was. */
  data: Uint8Array;
}

/** The body of a dead-letter message: JSON, with the original data kept verbatim as a string. */
interface DeadLetterBody {
  originalStream: string;
  originalSubject: string;
  originalId: string;
  group: string;
  consumer: string;
  attempts: number;
  error: string;
  deadLetteredAt: string;
  data: string;
}

const decoder = new TextDecoder();

/** Publishes the dead letter; the caller terminates the original message once this resolved. */
export async function writeDeadLetter(js: JetStreamClient, names: JetStreamNames, letter: JetStreamDeadLetter): Promise<void> {
  const body: DeadLetterBody = {
    originalStream: letter.stream,
    originalSubject: letter.subject,
    originalId: letter.id,
    group: letter.group,
    consumer: letter.consumer,
    attempts: letter.attempts,
    error: letter.error,
    deadLetteredAt: new Date().toISOString(),
    data: decoder.decode(letter.data),
  };
  // One dead letter per message and group, even when an instance dies between publishing it and terminating the message.
  await js.publish(names.deadLetterSubject(letter.stream), JSON.stringify(body), { msgID: `dlq:${letter.group}:${letter.stream}:${letter.id}` });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** The letter as operators see it, and what a redrive needs: the original subject and data. */
function toStored(message: StoredMsg): { letter: StoredDeadLetter; subject: string; data: string } {
  const body = message.json<DeadLetterBody>();
  const letter: StoredDeadLetter = {
    id: entryIdOf(BigInt(message.time.getTime()) * 1_000_000n, message.seq),
    originalStream: body.originalStream,
    originalId: body.originalId,
    group: body.group,
    consumer: body.consumer,
    attempts: body.attempts,
    error: body.error,
    deadLetteredAt: body.deadLetteredAt,
    event: parseJson(body.data),
  };
  return { letter, subject: body.originalSubject, data: body.data };
}

async function messageAt(jsm: JetStreamManager, streamName: string, seq: number): Promise<StoredMsg | null> {
  // Sequences start at 1: JetStream refuses 0 as a bad request.
  if (seq < 1) return null;
  try {
    return await jsm.streams.getMessage(streamName, { seq });
  } catch (error) {
    if (error instanceof Error && /no message found|not found/i.test(error.message)) return null;
    throw error;
  }
}

/**
 * The dead letters of `stream` (as `STREAMS` names it), oldest first, after the dead-letter id
 * `after` when given. `after` compares as an entry id (time, then sequence), as on Redis, so a page
 * cursor taken from one stream's letters also pages through another's.
 */
export async function listJetStreamDeadLetters(
  jsm: JetStreamManager,
  names: JetStreamNames,
  stream: string,
  options: { after?: string; limit: number },
): Promise<StoredDeadLetter[]> {
  const streamName = names.deadLetterStreamName(stream);
  const { state } = await jsm.streams.info(streamName);
  const letters: StoredDeadLetter[] = [];
  // Redriven letters leave gaps in the sequence; the stream's first and last sequence bound the walk.
  for (let seq = Math.max(1, state.first_seq); seq <= state.last_seq && letters.length < options.limit; seq++) {
    const message = await messageAt(jsm, streamName, seq);
    if (message === null) continue;
    const { letter } = toStored(message);
    if (options.after === undefined || compareEntryIds(letter.id, options.after) > 0) letters.push(letter);
  }
  return letters;
}

/**
 * Publishes a dead letter's original message again on its subject, so every consumer of the stream
 * whose filter takes it sees it once more (idempotent handlers make that safe), then removes the
 * letter. The message id is the letter's own, so two concurrent redrives publish it once.
 * Resolves with the new entry id, or `undefined` when there is no such letter.
 */
export async function redriveJetStreamDeadLetter(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: JetStreamNames,
  stream: string,
  deadLetterId: string,
): Promise<string | undefined> {
  const seq = sequenceOfEntryId(deadLetterId);
  const streamName = names.deadLetterStreamName(stream);
  const message = seq === undefined ? null : await messageAt(jsm, streamName, seq);
  if (message === null) return undefined;
  const { letter, subject, data } = toStored(message);
  if (letter.id !== deadLetterId) return undefined;
  const ack = await js.publish(subject, data, { msgID: `redrive:${streamName}:${message.seq}` });
  await jsm.streams.deleteMessage(streamName, message.seq, false).catch((error: unknown) => {
    if (!(error instanceof Error && /not found|no message/i.test(error.message))) throw error;
  });
  return entryIdOf(BigInt(Date.now()) * 1_000_000n, ack.seq);
}

/** Redrives every dead letter of `stream` present now; resolves with how many were moved. */
export async function redriveAllJetStreamDeadLetters(js: JetStreamClient, jsm: JetStreamManager, names: JetStreamNames, stream: string): Promise<number> {
  let moved = 0;
  let after: string | undefined;
  for (;;) {
    const page = await listJetStreamDeadLetters(jsm, names, stream, { limit: 500, ...(after !== undefined && { after }) });
    if (page.length === 0) return moved;
    for (const letter of page) if ((await redriveJetStreamDeadLetter(js, jsm, names, stream, letter.id)) !== undefined) moved++;
    after = page[page.length - 1]!.id;
  }
}
