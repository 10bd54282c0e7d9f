import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATES = [
  'EN_ATTENTE',
  'VERIFICATION_STOCK',
  'STOCK_VERIFIE',
  'RESERVATION_STOCK',
  'STOCK_RESERVE',
  'CREATION_COMMANDE',
  'COMMANDE_CREEE',
  'AUTORISATION_PAIEMENT',
  'PAIEMENT_AUTORISE',
  'CONFIRMATION_COMMANDE',
  'SAGA_TERMINEE',
  'ECHEC_STOCK_INSUFFISANT',
  'ECHEC_RESERVATION_STOCK',
  'ECHEC_CREATION_COMMANDE',
  'ECHEC_PAIEMENT',
  'ECHEC_CONFIRMATION_COMMANDE',
  'COMPENSATION_EN_COURS',
  'SAGA_ANNULEE',
  'COMPENSATION_ECHOUEE',
]
  .map((s) => `'${s}'`)
  .join(', ');

export class CreateSagas1732380000000 implements MigrationInterface {
  name = 'CreateSagas1732380000000';

  async up(q: QueryRunner): Promise<void> {
    // seq orders the list (keyset pagination); version is the optimistic lock; lease_owner and
    // lease_until say which orchestrator instance runs the saga and until when.
    await q.query(`
      CREATE TABLE sagas (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        checkout_id text NOT NULL UNIQUE,
        client_id text NOT NULL,
        state text NOT NULL CHECK (state IN (${STATES})),
        data jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        attempt integer NOT NULL DEFAULT 1,
        transitions integer NOT NULL DEFAULT 0,
        idempotency_key text UNIQUE,
        lease_owner text,
        lease_until timestamptz,
        deadline_at timestamptz NOT NULL,
        state_entered_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX sagas_by_state ON sagas (state, seq DESC)');
    // What recovery scans: only sagas still running, by lease expiry.
    await q.query(`CREATE INDEX sagas_resumable ON sagas (lease_until) WHERE state NOT IN ('SAGA_TERMINEE', 'SAGA_ANNULEE', 'COMPENSATION_ECHOUEE')`);
    await q.query(`
      CREATE TABLE saga_transitions (
        saga_id uuid NOT NULL REFERENCES sagas (id),
        seq integer NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        detail jsonb NOT NULL DEFAULT '{}',
        attempt integer NOT NULL,
        PRIMARY KEY (saga_id, seq)
      )`);
    // Transactional outbox: written with the transition, relayed to Redis, then deleted.
    await q.query(`
      CREATE TABLE saga_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE saga_outbox');
    await q.query('DROP TABLE saga_transitions');
    await q.query('DROP TABLE sagas');
  }
}
