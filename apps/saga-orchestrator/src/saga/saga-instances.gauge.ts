import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { gauge } from '@app/observability';
import { SAGA_STATES } from '@app/contracts';
import { ENDED_STATES, SagaRepository } from './saga.repository.js';

type Source = () => Promise<{ state: string; count: number }[]>;

/** Apps of one process (tests) share the registry; the gauge reads from the first one still running. */
const sources = new Set<Source>();

/** The states the gauge reports, each scrape: every one but the final ones the count leaves out. */
const COUNTED = SAGA_STATES.filter((state) => !ENDED_STATES.includes(state));

/**
 * `saga_instances{state}`: how many sagas are in each state that is not final (in flight, compensating,
 * or parked in COMPENSATION_ECHOUEE), counted in PostgreSQL at scrape time over an index of those alone.
 */
@Injectable()
export class SagaInstancesGauge implements OnModuleInit, OnModuleDestroy {
  private readonly source: Source;

  constructor(repository: SagaRepository) {
    this.source = () => repository.countUnfinishedByState();
  }

  onModuleInit(): void {
    sources.add(this.source);
    gauge<'state'>({
      name: 'saga_instances',
      help: 'Orchestrated sagas not yet succeeded or cancelled, by current state',
      labelNames: ['state'],
      async collect() {
        const [source] = sources;
        if (source === undefined) return;
        // A scrape while PostgreSQL is away keeps the last values rather than failing /metrics.
        const counts = await source().catch(() => undefined);
        if (counts === undefined) return;
        for (const state of COUNTED) this.set({ state }, counts.find((c) => c.state === state)?.count ?? 0);
      },
    });
  }

  onModuleDestroy(): void {
    sources.delete(this.source);
  }
}
