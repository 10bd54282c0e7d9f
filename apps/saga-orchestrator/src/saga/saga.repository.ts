import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SagaState, type TraceContext } from '@app/contracts';
import { CommitBatcher, rowsOf, runPrepared } from '@app/database';
import { histogram } from '@app/observability';
import type { TransitionEvents } from '../publish-transitions/saga-transition.events.js';
import { StaleSagaError } from './saga.errors.js';
import { type Decision, TERMINAL_STATES } from './saga.machine.js';
import { type SagaRecord, type SagaRow, type TransitionRow, toSaga } from './saga.mapper.js';
import type { SagaData } from './saga.model.js';

/** The claim a writer holds on a saga: its instance and how long the claim lasts. */
export interface Lease {
  owner: string;
  ms: number;
}

export interface NewSaga {
  id: string;
  checkoutId: string;
  clientId: string;
  idempotencyKey: string | null;
  data: SagaData;
  deadlineMs: number;
  /** The trace context current at creation, continued by whoever resumes the saga; none when nothing traces. */
  traceContext?: TraceContext;
}

const TERMINAL = TERMINAL_STATES.map((s) => `'${s}'`).join(', ');

/**
 * The transitions of the decisions a statement applied and their events, recorded by the same
 * statement as the state changes: `saga` holds the rows written, each with `input_ord`, its entry of
 * `input` (whose `moves` are its transitions). Each transition is numbered after the saga's previous
 * ones, stamped with the attempt and with the time of its event, and queued in the outbox with the
 * checkout's outcome when one ends it (so no event is lost if the process dies before publishing it).
 */
const RECORD_MOVES = `
  moves AS (
    SELECT saga.id AS saga_id, saga.transitions - jsonb_array_length(input.v->'moves') + m.ord AS seq, saga.attempt, saga.input_ord, m.ord,
      m.value->>'from' AS from_state, m.value->>'to' AS to_state, m.value->'detail' AS detail, m.value->'envelope' AS envelope, m.value->'outcome' AS outcome
    FROM saga JOIN input ON input.ord = saga.input_ord, jsonb_array_elements(input.v->'moves') WITH ORDINALITY AS m(value, ord)
  ), logged AS (
    INSERT INTO saga_transitions (saga_id, seq, from_state, to_state, at, detail, attempt)
    SELECT saga_id, seq, from_state, to_state, (envelope->>'occurredAt')::timestamptz, detail, attempt FROM moves ORDER BY input_ord, ord
  ), queued AS (
    INSERT INTO saga_outbox (envelope)
    SELECT e.envelope FROM moves, LATERAL (VALUES (1, moves.envelope), (2, moves.outcome)) AS e(n, envelope)
    WHERE e.envelope IS NOT NULL ORDER BY moves.input_ord, moves.ord, e.n
  )
  SELECT * FROM saga`;

const CREATE = `
  WITH input AS (
    SELECT 1::bigint AS ord, jsonb_build_object('moves', $1::jsonb) AS v
  ), saga AS (
    INSERT INTO sagas (id, checkout_id, client_id, state, data, transitions, idempotency_key, lease_owner, lease_until, deadline_at, created_at, trace_context)
    VALUES ($2, $3, $4, $5, $6, jsonb_array_length($1::jsonb), $7, $8, now() + $9::int * interval '1 millisecond', now() + $10::int * interval '1 millisecond',
      COALESCE(($1::jsonb->0->'envelope'->>'occurredAt')::timestamptz, now()), $11::jsonb)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *, 1::bigint AS input_ord
  ), ${RECORD_MOVES}`;

/**
 * Applies the decisions of several sagas at once (group commit), each at the version it was read at:
 * a saga another writer advanced first is left out of `saga` and of what is recorded, and the others
 * are written all the same. Should one saga be in the input twice at one version, one write wins.
 */
const ADVANCE = `
  WITH input AS (
    SELECT i.ord, i.v FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS i(v, ord)
  ), saga AS (
    UPDATE sagas s SET
      state = input.v->>'state', data = s.data || (input.v->'facts'), version = s.version + 1,
      transitions = s.transitions + jsonb_array_length(input.v->'moves'),
      attempt = s.attempt + (input.v->>'takeOver')::int,
      lease_owner = CASE WHEN (input.v->>'terminal')::boolean THEN NULL ELSE input.v->>'leaseOwner' END,
      lease_until = CASE WHEN (input.v->>'terminal')::boolean THEN NULL ELSE now() + (input.v->>'leaseMs')::int * interval '1 millisecond' END,
      state_entered_at = CASE WHEN s.state = input.v->>'state' THEN s.state_entered_at ELSE now() END,
      updated_at = now()
    FROM input
    WHERE s.id = (input.v->>'id')::uuid AND s.version = (input.v->>'version')::int
    RETURNING s.*, input.ord AS input_ord
  ), ${RECORD_MOVES}`;

/** One saga's decision as the group-committed ADVANCE takes it. */
interface Advance {
  id: string;
  version: number;
  state: SagaState;
  facts: object;
  moves: Move[];
  takeOver: 0 | 1;
  terminal: boolean;
  leaseOwner: string;
  leaseMs: number;
}

type Move = { from: SagaState; to: SagaState; detail: unknown; envelope?: unknown; outcome?: unknown };

/** A row written by CREATE or ADVANCE: the saga, and which entry of the input wrote it (1-based). */
type WrittenRow = SagaRow & { input_ord: string };

/** Writes committed together at most: a batch waits only for the write before it, never on a timer. */
const MAX_ADVANCES_PER_WRITE = 32;

function movesOf(decision: Decision, events: readonly TransitionEvents[]): Move[] {
  return decision.transitions.map((t, i) => ({ from: t.from, to: t.to, detail: t.detail, envelope: events[i]?.transition, outcome: events[i]?.outcome }));
}

/**
 * Saga instances and their transition log in PostgreSQL (schema `saga`). Every state change is one
 * statement that checks and bumps the version (optimistic locking), records the transitions and
 * queues their events; claims on sagas are leases renewed by the instance running them. The two
 * statements every checkout runs (create, advance) are named prepared statements, planned once per connection.
 */
/**
 * Final states whose sagas only ever add up (their pace is `saga_completed_total` and
 * `saga_failed_total`): the count by state leaves them out.
 */
export const ENDED_STATES: readonly SagaState[] = [SagaState.SAGA_TERMINEE, SagaState.SAGA_ANNULEE];

/**
 * The count of sagas by state that is not final. Its condition is written out as the predicate of the
 * index `sagas_unfinished_by_state`, so PostgreSQL answers it from that index alone; a parameter
 * could not be matched to the predicate.
 */
export const COUNT_UNFINISHED_BY_STATE = `SELECT state, count(*)::int AS count FROM sagas WHERE state NOT IN (${ENDED_STATES.map((s) => `'${s}'`).join(', ')}) GROUP BY state`;

@Injectable()
export class SagaRepository {
  private readonly writeBatch = histogram({
    name: 'saga_write_batch_size',
    help: 'Saga decisions committed by one statement of the orchestrator (group commit)',
    buckets: [1, 2, 4, 8, 16, 32],
  });

  /** Decisions of sagas running side by side, committed together when they arrive while a write is under way. */
  private readonly advances = new CommitBatcher<Advance, SagaRow | undefined>({
    commit: (batch) => this.advanceMany(batch),
    maxBatch: MAX_ADVANCES_PER_WRITE,
    lingerMs: 0,
    // Two instances' batches lock their rows in one order, so they cannot deadlock each other.
    order: (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  });

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Creates a saga with its first transitions (under the lease, unless it already ended), or
   * returns undefined when the idempotency key is taken. Its `created_at` is the time of its first
   * event, when the checkout was requested, so durations include the availability check run before.
   */
  async create(saga: NewSaga, decision: Decision, events: readonly TransitionEvents[], lease: Lease): Promise<SagaRecord | undefined> {
    const [row] = await runPrepared<WrittenRow>(this.db, { name: 'saga_create', text: CREATE }, [
      JSON.stringify(movesOf(decision, events)),
      saga.id,
      saga.checkoutId,
      saga.clientId,
      decision.state,
      JSON.stringify({ ...saga.data, ...decision.facts }),
      saga.idempotencyKey,
      ...(TERMINAL_STATES.includes(decision.state) ? [null, null] : [lease.owner, lease.ms]),
      saga.deadlineMs,
      saga.traceContext === undefined ? null : JSON.stringify(saga.traceContext),
    ]);
    return row === undefined ? undefined : toSaga(row);
  }

  /**
   * Applies a decision to the saga at the version it was read at, and renews (or, at a terminal
   * state, drops) the lease. `takeOver` counts a new attempt: recovery or an operator taking the saga.
   * @throws StaleSagaError when another writer got there first.
   */
  async advance(saga: SagaRecord, decision: Decision, events: readonly TransitionEvents[], lease: Lease, takeOver = false): Promise<SagaRecord> {
    const row = await this.advances.add({
      id: saga.id,
      version: saga.version,
      state: decision.state,
      facts: decision.facts,
      moves: movesOf(decision, events),
      takeOver: takeOver ? 1 : 0,
      terminal: TERMINAL_STATES.includes(decision.state),
      leaseOwner: lease.owner,
      leaseMs: lease.ms,
    });
    if (row === undefined) throw new StaleSagaError(saga.id, saga.version);
    return toSaga(row);
  }

  /** One statement, one transaction, for every decision of the batch; what each wrote, in the batch's order (undefined: stale). */
  private async advanceMany(batch: Advance[]): Promise<(SagaRow | undefined)[]> {
    const rows = await runPrepared<WrittenRow>(this.db, { name: 'saga_advance', text: ADVANCE }, [JSON.stringify(batch)]);
    const byInput = new Map(rows.map((row) => [Number(row.input_ord), row]));
    this.writeBatch.observe(batch.length);
    return batch.map((_, i) => byInput.get(i + 1));
  }

  /**
   * Takes over up to `limit` running sagas whose lease expired (their instance died or hung),
   * skipping rows another instance is claiming at the same moment.
   */
  async claimExpired(lease: Lease, limit: number): Promise<SagaRecord[]> {
    const rows = await rowsOf<SagaRow>(
      this.db.manager,
      `UPDATE sagas s SET lease_owner = $1, lease_until = now() + $2::int * interval '1 millisecond', version = s.version + 1, attempt = s.attempt + 1
       FROM (SELECT id FROM sagas WHERE state NOT IN (${TERMINAL}) AND lease_until < now() ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED) expired
       WHERE s.id = expired.id
       RETURNING s.*`,
      [lease.owner, lease.ms, limit],
    );
    return rows.map(toSaga);
  }

  /** Takes over one saga at a known version if nobody else holds a live lease on it. */
  async claim(saga: SagaRecord, lease: Lease): Promise<SagaRecord | undefined> {
    const [row] = await rowsOf<SagaRow>(
      this.db.manager,
      `UPDATE sagas SET lease_owner = $3, lease_until = now() + $4::int * interval '1 millisecond', version = version + 1, attempt = attempt + 1
       WHERE id = $1 AND version = $2 AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $3)
       RETURNING *`,
      [saga.id, saga.version, lease.owner, lease.ms],
    );
    return row === undefined ? undefined : toSaga(row);
  }

  /**
   * Extends the leases this instance holds on the sagas it is running. A saga locked by a write under
   * way is skipped: that write renews its lease itself. Waiting for it instead could deadlock with a
   * batch of advances, which locks in id order while this statement may lock in the table's order.
   */
  async renewLeases(ids: readonly string[], lease: Lease): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE sagas s SET lease_until = now() + $3::int * interval '1 millisecond'
       FROM (SELECT id FROM sagas WHERE id = ANY($1::uuid[]) AND lease_owner = $2 FOR UPDATE SKIP LOCKED) held
       WHERE s.id = held.id`,
      [ids, lease.owner, lease.ms],
    );
  }

  async find(id: string): Promise<SagaRecord | undefined> {
    const [row] = await rowsOf<SagaRow>(this.db.manager, 'SELECT * FROM sagas WHERE id = $1', [id]);
    return row === undefined ? undefined : toSaga(row);
  }

  async findByIdempotencyKey(key: string): Promise<SagaRecord | undefined> {
    const [row] = await rowsOf<SagaRow>(this.db.manager, 'SELECT * FROM sagas WHERE idempotency_key = $1', [key]);
    return row === undefined ? undefined : toSaga(row);
  }

  history(id: string): Promise<TransitionRow[]> {
    return rowsOf<TransitionRow>(
      this.db.manager,
      'SELECT seq, from_state, to_state, at, detail, attempt FROM saga_transitions WHERE saga_id = $1 ORDER BY seq',
      [id],
    );
  }

  /** Newest first, optionally in one state, after a `seq` cursor. */
  async list(filter: { state?: SagaState; before?: string; limit: number }): Promise<SagaRecord[]> {
    const rows = await rowsOf<SagaRow>(
      this.db.manager,
      'SELECT * FROM sagas WHERE ($1::text IS NULL OR state = $1) AND ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3',
      [filter.state ?? null, filter.before ?? null, filter.limit],
    );
    return rows.map(toSaga);
  }

  /**
   * How many sagas are in each state that is not final. Succeeded and cancelled sagas are left out: they
   * grow with every checkout ever run, so counting them would make each scrape slower than the last.
   */
  async countUnfinishedByState(): Promise<{ state: SagaState; count: number }[]> {
    return rowsOf(this.db.manager, COUNT_UNFINISHED_BY_STATE);
  }
}
