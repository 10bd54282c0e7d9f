import { gauge, histogram } from '@app/observability';

/** How a single HTTP attempt to a participant ended. */
export type CallOutcome = 'ok' | 'refused' | 'error' | 'timeout';

/** Latency of every HTTP attempt to a participant, retries included, by how it ended. */
export const externalCallDuration = () =>
  histogram<'service' | 'operation' | 'outcome'>({
    name: 'external_service_call_duration_seconds',
    help: 'Duration of each HTTP attempt to a saga participant',
    labelNames: ['service', 'operation', 'outcome'],
  });

/** 0 closed, 1 open, 2 half-open, 3 isolated (cockatiel's CircuitState). */
export const circuitState = () =>
  gauge<'service'>({
    name: 'external_service_circuit_state',
    help: 'Circuit breaker state per participant: 0 closed, 1 open, 2 half-open, 3 isolated',
    labelNames: ['service'],
  });
