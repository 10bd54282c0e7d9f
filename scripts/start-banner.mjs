/** What `npm start` prints once every app is up: where they are, and how to call them with the key they accept. */

/** The key a client of the started system can use: the first of API_KEYS, as the apps read it. */
export function firstApiKey(env = process.env) {
  return (
    (env.API_KEYS ?? 'dev-key')
      .split(',')
      .map((key) => key.trim())
      .find((key) => key !== '') ?? 'dev-key'
  );
}

/** The lines of the banner, for `apps` as `scripts/system.mjs` lists them. */
export function startBanner(apps, env = process.env) {
  const key = firstApiKey(env);
  const keySource = env.API_KEYS === undefined ? 'the default key; set API_KEYS to change it' : 'the first of API_KEYS';
  const body = `'{"clientId":"alice","items":[{"sku":"BOOK-001","quantity":1}],"payment":{"token":"tok_visa"}}'`;
  const portOf = (name) => apps.find((app) => app.name === name)?.port;
  const consolePort = portOf('console');
  return [
    '',
    ...(consolePort === undefined ? [] : [`Console: http://127.0.0.1:${consolePort}/  (sign in with the key "${key}", ${keySource})`, '']),
    'All apps are up:',
    ...apps.map((app) => `  ${app.name.padEnd(28)} http://127.0.0.1:${app.port}/health`),
    '',
    `Every call but /health, /metrics and /api-docs needs the header "X-API-Key: ${key}" (${keySource}).`,
    'Try the orchestrated style (the answer is the outcome):',
    `  curl -s -X POST localhost:${portOf('saga-orchestrator') ?? 3010}/api/saga/checkout -H "X-API-Key: ${key}" -H "Content-Type: application/json" -d ${body}`,
    'and the choreographed one (202, then GET the Location it gives):',
    `  curl -si -X POST localhost:${portOf('checkout') ?? 3000}/checkout/choreo -H "X-API-Key: ${key}" -H "Content-Type: application/json" -d ${body}`,
    ...(portOf('shipping') === undefined
      ? []
      : [
          "Once one succeeded, alice's parcels (the simulated carrier moves them on every few seconds):",
          `  curl -s 'localhost:${portOf('shipping')}/parcels?clientId=alice' -H "X-API-Key: ${key}"`,
        ]),
    'The event store (a browser gets 401: it sends no key):',
    `  curl -s localhost:${portOf('event-store') ?? 3020}/api/event-store/streams -H "X-API-Key: ${key}"`,
    `API reference of each HTTP app, open in a browser: http://127.0.0.1:<port>/api-docs (e.g. http://127.0.0.1:${portOf('saga-orchestrator') ?? 3010}/api-docs)`,
    'Metrics: every app serves /metrics (npm run observe runs Prometheus on them).',
    '',
  ];
}
