export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

/** The services an app calls with `INTERNAL_API_KEY`. */
export type Callee = 'inventory' | 'orders' | 'payments' | 'saga-orchestrator';

export interface HealthOptions {
  /** Whether the app has a PostgreSQL connection to check. */
  postgres: boolean;
  /** The services it calls: it is not ready while one of them refuses its key. */
  callees?: readonly Callee[];
}
