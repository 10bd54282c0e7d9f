import type { SagaState } from '@app/contracts';
import type { SagaData, SagaSnapshot } from './saga.model.js';

/** A sagas row as PostgreSQL returns it. */
export interface SagaRow {
  id: string;
  seq: string;
  checkout_id: string;
  client_id: string;
  state: SagaState;
  data: SagaData;
  version: number;
  attempt: number;
  transitions: number;
  idempotency_key: string | null;
  lease_owner: string | null;
  deadline_at: Date;
  state_entered_at: Date;
  created_at: Date;
  updated_at: Date;
  trace_context: unknown;
}

/** A saga as the orchestrator holds it between two writes: its state and data, and the row around them. */
export type SagaRecord = SagaSnapshot & SagaHeader;

interface SagaHeader {
  id: string;
  /** Position in the list (keyset cursor). */
  seq: string;
  checkoutId: string;
  clientId: string;
  /** Optimistic lock: every write checks and bumps it. */
  version: number;
  /** 1 for the first run, +1 each time recovery or an operator takes the saga over. */
  attempt: number;
  /** Transitions recorded so far (the next one gets number `transitions + 1`). */
  transitions: number;
  idempotencyKey: string | null;
  leaseOwner: string | null;
  deadlineAt: Date;
  stateEnteredAt: Date;
  createdAt: Date;
  updatedAt: Date;
  /**
   * The trace context of the request that created the saga, as stored: null when tracing was off.
   * Read through `traceCarrierOf`, which makes do with whatever the column holds.
   */
  traceContext: unknown;
}

export const toSaga = (row: SagaRow): SagaRecord => ({
  // Written only through `decide`, which enters a state only with its facts.
  ...({ state: row.state, data: row.data } as SagaSnapshot),
  id: row.id,
  seq: String(row.seq),
  checkoutId: row.checkout_id,
  clientId: row.client_id,
  version: row.version,
  attempt: row.attempt,
  transitions: row.transitions,
  idempotencyKey: row.idempotency_key,
  leaseOwner: row.lease_owner,
  deadlineAt: row.deadline_at,
  stateEnteredAt: row.state_entered_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  traceContext: row.trace_context,
});

/** A saga_transitions row. */
export interface TransitionRow {
  seq: number;
  from_state: SagaState;
  to_state: SagaState;
  at: Date;
  detail: Record<string, unknown>;
  attempt: number;
}
