/**
 * SQLSTATE classes and codes that mean the database went away or is shutting down, not that the
 * request was wrong: `08` connection exceptions, `57P01`-`57P03` admin or crash shutdown, `53300`
 * too many connections.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection provided by a query runner was already released|ECONNREFUSED|ECONNRESET|Connection is closed|timeout exceeded when trying to connect/i;

/**
 * Whether `error` says a dependency (PostgreSQL, Redis) is unreachable for now. The request may
 * well succeed again in a moment, so it is answered 503, which callers retry, rather than 500.
 */
export function isUnavailableDependency(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATES.test(code)) return true;
  return UNAVAILABLE_MESSAGES.test(error.message) || error.name === 'QueryRunnerProviderAlreadyReleasedError';
}
