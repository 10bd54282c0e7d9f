/**
 * Every route of the console. It is not guarded by X-API-Key like the apps' APIs: a person signs in
 * once (session cookie) and every POST needs the session's CSRF token, so the console's own browser
 * suite sweeps these (signed out, no token, hostile parameters) rather than the API-key sweep.
 */
export interface ConsoleRoute {
  method: 'GET' | 'POST';
  path: string;
  /** A valid value for each `:param`. */
  params?: Record<string, string>;
  /** Reachable signed out. */
  open?: boolean;
}

const UUID = '00000000-0000-4000-8000-000000000000';
const STREAM = 'ecommerce.checkout.events';

export const CONSOLE_ROUTES: ConsoleRoute[] = [
  { method: 'GET', path: '/login', open: true },
  { method: 'POST', path: '/login', open: true },
  { method: 'POST', path: '/logout', open: true },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/overview/data' },
  { method: 'GET', path: '/checkouts/new' },
  { method: 'POST', path: '/checkouts' },
  { method: 'GET', path: '/checkouts/:style/:id', params: { style: 'orchestrated', id: UUID } },
  { method: 'GET', path: '/checkouts/:style/:id/detail', params: { style: 'orchestrated', id: UUID } },
  { method: 'POST', path: '/checkouts/:style/:id/compensate', params: { style: 'orchestrated', id: UUID } },
  { method: 'GET', path: '/compare' },
  { method: 'GET', path: '/operations' },
  { method: 'POST', path: '/operations/sagas/:id/retry', params: { id: UUID } },
  { method: 'POST', path: '/operations/checkouts/:id/compensate', params: { id: 'chk-hostile' } },
  { method: 'POST', path: '/operations/dead-letters/:stream/:id/redrive', params: { stream: STREAM, id: '1-0' } },
  { method: 'POST', path: '/operations/dead-letters/:stream/redrive', params: { stream: STREAM } },
  { method: 'GET', path: '/bus' },
];

/** The path with valid parameters, or `override` (already URL-encoded, as `HOSTILE_PARAMS` are) for one of them. */
export function consolePathOf(route: ConsoleRoute, override?: { param: string; value: string }): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    override?.param === name ? override.value : encodeURIComponent(route.params?.[name] ?? name),
  );
}
