export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Whether the app has a PostgreSQL connection to check. */
  postgres: boolean;
}
