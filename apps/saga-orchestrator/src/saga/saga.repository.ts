import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TraceContext } from '@app/contracts';
import { rowsOf, runPrepared } from '@app/database';
import type { TransitionEvents } from '../publish-transitions/saga-transition.events.js';
import { StaleSagaError } from './saga.errors.js';
import { type Decision, type SagaState, TERMINAL_STATES } from './saga.machine.js';
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
 * The transitions of a decision and their events, recorded by the same statement as the state
 * change: numbered after the saga's previous ones, stamped with the attempt and with the time of
 * their event, and queued in the outbox with the checkout's outcome when one ends it (so no event is
 * lost if the process dies before publishing it).
 */
const RECORD_MOVES = `
  moves AS (
    SELECT m.value->>'from' AS from_state, m.value->>'to' AS to_state, m.value->'detail' AS detail, m.value->'envelope' AS envelope,
      m.value->'outcome' AS outcome, m.ord
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS m(value, ord)
  ), logged AS (
    INSERT INTO saga_transitions (saga_id, seq, from_state, to_state, at, detail, attempt)
    SELECT saga.id, saga.transitions - jsonb_array_length($1::jsonb) + moves.ord, moves.from_state, moves.to_state, (moves.envelope->>'occurredAt')::timestamptz, moves.detail, saga.attempt
    FROM saga, moves ORDER BY moves.ord
  ), queued AS (
    INSERT INTO saga_outbox (envelope)
    SELECT e.envelope FROM saga, moves, LATERAL (VALUES (1, moves.envelope), (2, moves.outcome)) AS e(n, envelope)
    WHERE e.envelope IS NOT NULL ORDER BY moves.ord, e.n
  )
  SELECT * FROM saga`;

const CREATE = `
  WITH saga AS (
    INSERT INTO sagas (id, checkout_id, client_id, state, data, transitions, idempotency_key, lease_owner, lease_until, deadline_at, created_at, trace_context)
    VALUES ($2, $3, $4, $5, $6, jsonb_array_length($1::jsonb), $7, $8, now() + $9::int * interval '1 millisecond', now() + $10::int * interval '1 millisecond',
      COALESCE(($1::jsonb->0->'envelope'->>'occurredAt')::timestamptz, now()), $11::jsonb)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *
  ), ${RECORD_MOVES}`;

const ADVANCE = `
  WITH saga AS (
    UPDATE sagas SET
      state = $4, data = data || $5::jsonb, version = version + 1, transitions = transitions + jsonb_array_length($1::jsonb),
      attempt = attempt + $6,
      lease_owner = CASE WHEN $7 THEN NULL ELSE $8 END,
      lease_until = CASE WHEN $7 THEN NULL ELSE now() + $9::int * interval '1 millisecond' END,
      state_entered_at = CASE WHEN state = $4 THEN state_entered_at ELSE now() END,
      updated_at = now()
    WHERE id = $2 AND version = $3
    RETURNING *
  ), ${RECORD_MOVES}`;

function movesOf(decision: Decision, events: readonly TransitionEvents[]): string {
  return JSON.stringify(
    decision.transitions.map((t, i) => ({ from: t.from, to: t.to, detail: t.detail, envelope: events[i]?.transition, outcome: events[i]?.outcome })),
  );
}

/**
 * Saga instances and their transition log in PostgreSQL (schema `saga`). Every state change is one
 * statement that checks and bumps the version (optimistic locking), records the transitions and
 * queues their events; claims on sagas are leases renewed by the instance running them. The two
 * statements every checkout runs (create, advance) are named prepared statements, planned once per connection.
 */
@Injectable()
export class SagaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Creates a saga with its first transitions (under the lease, unless it already ended), or
   * returns undefined when the idempotency key is taken. Its `created_at` is the time of its first
   * event, when the checkout was requested, so durations include the availability check run before.
   */
  async create(saga: NewSaga, decision: Decision, events: readonly TransitionEvents[], lease: Lease): Promise<SagaRecord | undefined> {
    const [row] = await runPrepared<SagaRow>(this.db, { name: 'saga_create', text: CREATE }, [
      movesOf(decision, events),
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
    const [row] = await runPrepared<SagaRow>(this.db, { name: 'saga_advance', text: ADVANCE }, [
      movesOf(decision, events),
      saga.id,
      saga.version,
      decision.state,
      JSON.stringify(decision.facts),
      takeOver ? 1 : 0,
      TERMINAL_STATES.includes(decision.state),
      lease.owner,
      lease.ms,
    ]);
    if (row === undefined) throw new StaleSagaError(saga.id, saga.version);
    return toSaga(row);
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

  /** Extends the leases this instance holds on the sagas it is running. */
  async renewLeases(ids: readonly string[], lease: Lease): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`UPDATE sagas SET lease_until = now() + $3::int * interval '1 millisecond' WHERE id = ANY($1::uuid[]) AND lease_owner = $2`, [
      ids,
      lease.owner,
      lease.ms,
    ]);
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

  async countByState(): Promise<{ state: SagaState; count: number }[]> {
    return rowsOf(this.db.manager, 'SELECT state, count(*)::int AS count FROM sagas GROUP BY state');
  }
}
