import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type Histogram, register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ConfigModule } from '@app/config';
import type { TraceContext } from '@app/contracts';
import { databaseModule } from '@app/database';
import { type TestDatabase, createTestDatabase, testConfig } from '@app/testing';
import { sagaEvents } from '../publish-transitions/saga-transition.events.js';
import { SAGA_DATABASE } from '../saga-orchestrator.module.js';
import { StaleSagaError } from './saga.errors.js';
import { decide } from './saga.machine.js';
import type { SagaRecord } from './saga.mapper.js';
import type { SagaOutcome } from './saga.model.js';
import { COUNT_UNFINISHED_BY_STATE, type Lease, SagaRepository } from './saga.repository.js';

const request = { clientId: 'u1', items: [{ sku: 'A', quantity: 1 }], payment: { sealedToken: 'pt1.sealed', tokenDigest: 'digest' } };
const verified: SagaOutcome = { type: 'StockVerified', items: [{ sku: 'A', quantity: 1, unitPriceCents: 100 }], totalCents: 100 };

describe('saga repository (PostgreSQL)', () => {
  let db: TestDatabase;
  let close: () => Promise<void>;
  let repository: SagaRepository;
  let sql: DataSource;
  const mine: Lease = { owner: 'instance-a', ms: 60_000 };
  const expired = (owner: string): Lease => ({ owner, ms: -1_000 });

  async function createSaga(lease: Lease = mine, idempotencyKey: string | null = null, traceContext?: TraceContext): Promise<SagaRecord | undefined> {
    const id = randomUUID();
    const decision = decide({ state: 'EN_ATTENTE', data: { request } }, { type: 'Started' });
    const envelopes = sagaEvents({ id, checkoutId: id, clientId: 'u1', transitions: 0 }, decision, { request });
    return repository.create(
      { id, checkoutId: id, clientId: 'u1', idempotencyKey, data: { request }, deadlineMs: 60_000, traceContext },
      decision,
      envelopes,
      lease,
    );
  }

  const advance = (saga: SagaRecord) => {
    const decision = decide(saga, verified);
    return repository.advance(saga, decision, sagaEvents(saga, decision, { ...saga.data, ...decision.facts }), mine);
  };
  const count = async (table: string, sagaId: string) =>
    Number(
      (
        await sql.query(`SELECT count(*) AS n FROM ${table} WHERE ${table === 'saga_outbox' ? "envelope->>'correlationId'" : 'saga_id::text'} = $1`, [sagaId])
      )[0].n,
    );

  beforeAll(async () => {
    db = await createTestDatabase('saga_repository');
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig({ SAGA_DATABASE_URL: db.url })), databaseModule(SAGA_DATABASE)],
      providers: [SagaRepository],
    }).compile();
    const app = await moduleRef.init();
    repository = app.get(SagaRepository);
    sql = app.get<DataSource>(getDataSourceToken());
    close = () => app.close();
  });

  afterAll(async () => {
    await close();
    await db.drop();
  });

  it('creates a saga with its transitions and queued events in one statement, once per idempotency key', async () => {
    const saga = (await createSaga(mine, 'key-1'))!;
    expect(saga).toMatchObject({ state: 'VERIFICATION_STOCK', version: 1, attempt: 1, transitions: 1, leaseOwner: 'instance-a', data: { request } });
    expect(await repository.history(saga.id)).toEqual([
      expect.objectContaining({ seq: 1, from_state: 'EN_ATTENTE', to_state: 'VERIFICATION_STOCK', attempt: 1 }),
    ]);
    expect(await count('saga_outbox', saga.id)).toBe(1);
    expect(await createSaga(mine, 'key-1')).toBeUndefined();
    expect((await repository.findByIdempotencyKey('key-1'))?.id).toBe(saga.id);
  });

  it('advances at the version it read, numbering the new transitions and merging the facts', async () => {
    const saga = (await createSaga())!;
    const next = await advance(saga);
    expect(next).toMatchObject({ state: 'RESERVATION_STOCK', version: 2, transitions: 3, data: { request, totalCents: 100 } });
    expect((await repository.history(saga.id)).map((t) => [t.seq, t.from_state, t.to_state])).toEqual([
      [1, 'EN_ATTENTE', 'VERIFICATION_STOCK'],
      [2, 'VERIFICATION_STOCK', 'STOCK_VERIFIE'],
      [3, 'STOCK_VERIFIE', 'RESERVATION_STOCK'],
    ]);
    expect(await count('saga_outbox', saga.id)).toBe(3);
  });

  it('queues the checkout outcome after the transition that ends it, in the same statement', async () => {
    const saga = (await createSaga())!;
    const refused = decide(saga, { type: 'StepFailed', code: 'INVENTORY.INSUFFICIENT_STOCK', reason: 'Not enough A', transient: false });
    const ended = await repository.advance(saga, refused, sagaEvents(saga, refused, { ...saga.data, ...refused.facts }), mine);
    expect(ended.state).toBe('SAGA_ANNULEE');
    const queued = await sql.query(`SELECT envelope FROM saga_outbox WHERE envelope->>'correlationId' = $1 ORDER BY id`, [saga.id]);
    const outbox = queued.map((r: { envelope: { type: string; payload: { to?: string } } }) => r.envelope);
    expect(outbox.map((e: { type: string; payload: { to?: string } }) => e.payload.to ?? e.type)).toEqual([
      'VERIFICATION_STOCK',
      'ECHEC_STOCK_INSUFFISANT',
      'COMPENSATION_EN_COURS',
      'SAGA_ANNULEE',
      'CheckoutFailed',
    ]);
    expect(outbox[4]).toMatchObject({
      type: 'CheckoutFailed',
      causationId: outbox[3].eventId,
      payload: { checkoutId: saga.id, sagaId: saga.id, clientId: 'u1', failedStep: 'stock', code: 'INVENTORY.INSUFFICIENT_STOCK', reason: 'Not enough A' },
    });
  });

  it('refuses a write from a stale version and records nothing of it', async () => {
    const saga = (await createSaga())!;
    await advance(saga);
    await expect(advance(saga)).rejects.toBeInstanceOf(StaleSagaError);
    expect(await count('saga_transitions', saga.id)).toBe(3);
    expect(await count('saga_outbox', saga.id)).toBe(3);
  });

  it('lets exactly one of two concurrent writers from the same version win', async () => {
    const saga = (await createSaga())!;
    const results = await Promise.allSettled([advance(saga), advance(saga)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(StaleSagaError) });
  });

  it('commits the decisions of sagas running side by side together, each with its own transitions and events, refusing only the stale one', async () => {
    const sagas = (await Promise.all(Array.from({ length: 8 }, () => createSaga()))).map((s) => s!);
    const stale = sagas[5]!;
    await advance(stale);
    const batches = async () =>
      (await (register.getSingleMetric('saga_write_batch_size') as Histogram).get()).values.find((v) => v.metricName?.endsWith('_count'))!.value;
    const before = await batches();
    // The first write starts at once; the other eight arrive while it runs and are committed by the next statement.
    const results = await Promise.allSettled([sagas[0]!, ...sagas].map((saga) => advance(saga)));
    expect((await batches()) - before).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', ...Array(4).fill('fulfilled'), 'rejected', 'fulfilled', 'fulfilled']);
    for (const saga of sagas) {
      expect((await repository.history(saga.id)).map((t) => [t.seq, t.to_state])).toEqual([
        [1, 'VERIFICATION_STOCK'],
        [2, 'STOCK_VERIFIE'],
        [3, 'RESERVATION_STOCK'],
      ]);
      expect(await count('saga_outbox', saga.id)).toBe(3);
      expect(await repository.find(saga.id)).toMatchObject({ state: 'RESERVATION_STOCK', version: 2, data: { totalCents: 100 } });
    }
  });

  it('never gives one expired saga to two concurrent claimers, and leaves live leases alone', async () => {
    await sql.query(`UPDATE sagas SET state = 'SAGA_TERMINEE', lease_until = NULL, lease_owner = NULL`);
    const crashed = await Promise.all(Array.from({ length: 40 }, () => createSaga(expired('dead-instance'))));
    const [a, b, c] = await Promise.all([
      repository.claimExpired({ owner: 'b', ms: 60_000 }, 25),
      repository.claimExpired({ owner: 'c', ms: 60_000 }, 25),
      repository.claimExpired({ owner: 'd', ms: 60_000 }, 25),
    ]);
    const claimed = [...a, ...b, ...c].map((s) => s.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(crashed.map((s) => s!.id).sort());
    expect([...a, ...b, ...c].every((s) => s.version === 2 && s.attempt === 2)).toBe(true);
    expect(await repository.claimExpired({ owner: 'e', ms: 60_000 }, 100)).toEqual([]);
  });

  it('keeps the trace context a saga was created with through its advances and claims, and none when nothing traced', async () => {
    const traced = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' };
    const saga = (await createSaga(expired('dead-instance'), null, traced))!;
    expect(saga.traceContext).toEqual(traced);
    const claimed = (await repository.claimExpired({ owner: 'b', ms: 60_000 }, 100)).find((s) => s.id === saga.id)!;
    expect(claimed.traceContext).toEqual(traced);
    expect((await advance(claimed)).traceContext).toEqual(traced);

    const untraced = (await createSaga())!;
    expect(untraced.traceContext).toBeNull();
    expect((await sql.query('SELECT trace_context FROM sagas WHERE id = $1', [untraced.id]))[0].trace_context).toBeNull();
  });

  it('claims one saga only when its lease is free or already ours, and renews only our own leases', async () => {
    const live = (await createSaga({ owner: 'other', ms: 60_000 }))!;
    expect(await repository.claim(live, mine)).toBeUndefined();
    const lapsed = (await createSaga(expired('other')))!;
    expect(await repository.claim(lapsed, mine)).toMatchObject({ leaseOwner: 'instance-a', version: 2, attempt: 2 });

    await repository.renewLeases([live.id, lapsed.id], { owner: 'instance-a', ms: 120_000 });
    const leases = await sql.query(`SELECT id, lease_owner, lease_until > now() + interval '90 seconds' AS renewed FROM sagas WHERE id = ANY($1::uuid[])`, [
      [live.id, lapsed.id],
    ]);
    expect(Object.fromEntries(leases.map((l: { id: string; renewed: boolean }) => [l.id, l.renewed]))).toEqual({ [live.id]: false, [lapsed.id]: true });
  });

  it('renews leases without waiting for a saga another transaction is writing, which renews its own', async () => {
    const [busy, idle] = [(await createSaga())!, (await createSaga())!];
    const writer = sql.createQueryRunner();
    await writer.startTransaction();
    try {
      await writer.query('SELECT id FROM sagas WHERE id = $1 FOR UPDATE', [busy.id]);
      await repository.renewLeases([busy.id, idle.id], { owner: 'instance-a', ms: 120_000 });
    } finally {
      await writer.rollbackTransaction();
      await writer.release();
    }
    const leases = await sql.query(`SELECT id, lease_until > now() + interval '90 seconds' AS renewed FROM sagas WHERE id = ANY($1::uuid[])`, [
      [busy.id, idle.id],
    ]);
    expect(Object.fromEntries(leases.map((l: { id: string; renewed: boolean }) => [l.id, l.renewed]))).toEqual({ [busy.id]: false, [idle.id]: true });
  });

  it('counts the sagas of each state not yet final from the index of those alone, leaving succeeded and cancelled ones out', async () => {
    const sagas = await Promise.all(Array.from({ length: 5 }, () => createSaga()));
    const [succeeded, cancelled, parked, reserving] = sagas.map((s) => s!);
    await advance(reserving!);
    const settle = (saga: SagaRecord, state: string) => sql.query('UPDATE sagas SET state = $2 WHERE id = $1', [saga.id, state]);
    await settle(succeeded!, 'SAGA_TERMINEE');
    await settle(cancelled!, 'SAGA_ANNULEE');
    await settle(parked!, 'COMPENSATION_ECHOUEE');

    const all: { state: string; count: number }[] = await sql.query('SELECT state, count(*)::int AS count FROM sagas GROUP BY state ORDER BY state');
    const counts = await repository.countUnfinishedByState();
    expect([...counts].sort((a, b) => a.state.localeCompare(b.state))).toEqual(all.filter((c) => c.state !== 'SAGA_TERMINEE' && c.state !== 'SAGA_ANNULEE'));
    expect(counts.map((c) => c.state)).toEqual(expect.arrayContaining(['VERIFICATION_STOCK', 'RESERVATION_STOCK', 'COMPENSATION_ECHOUEE']));
    expect(all.map((c) => c.state)).toEqual(expect.arrayContaining(['SAGA_TERMINEE', 'SAGA_ANNULEE']));

    // The count's condition is the index's: PostgreSQL can answer it without reading the table's other rows.
    const runner = sql.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off');
      const plan = JSON.stringify(await runner.query(`EXPLAIN ${COUNT_UNFINISHED_BY_STATE}`));
      expect(plan).toContain('sagas_unfinished_by_state');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  });
});
