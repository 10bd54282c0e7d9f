#!/usr/bin/env node
/**
 * Starts every app of the system from dist/ (run `npm run build` first; `npm start` does both),
 * with logs prefixed by app. Ctrl-C stops them all. Loads the demo catalogue once the inventory
 * answers. Environment variables pass through to every app (see libs/config/src/env.schema.ts).
 */
import { concurrently } from 'concurrently';
import pg from 'pg';
import { builtApps, WORKERS } from './system.mjs';
import { seedDemoCatalogue, waitForHealth } from './seed-demo.mjs';
import { startBanner } from './start-banner.mjs';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/checkout_sagas';

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  await client.end();
}

/** `--import <preload>` when the environment turns tracing on (read as the apps' config reads it). */
async function tracingFlags() {
  const { TRACING_PRELOAD, tracingRequested } = await import('../dist/libs/config/src/index.js');
  return tracingRequested(process.env) ? `--import ./${TRACING_PRELOAD}` : '';
}

await ensureDatabase(databaseUrl);
const apps = builtApps();
if (apps.length === 0) {
  console.error('Nothing is built: run `npm run build` first (or `npm start`, which builds).');
  process.exit(1);
}
const isWorker = new Set(WORKERS.map((w) => w.name));
// Extra node flags for every app, e.g. APP_NODE_FLAGS="--cpu-prof --cpu-prof-dir=profiles" to profile under load.
// With tracing on (OTEL_SDK_DISABLED=false), every app preloads the OpenTelemetry SDK; off, nothing is loaded.
const nodeFlags = `${process.env.APP_NODE_FLAGS ?? ''} ${await tracingFlags()}`.trim();
// The demo moves parcels along on its own; tests and CARRIER_SIMULATOR=false leave that to real callbacks.
const demoEnv = { CARRIER_SIMULATOR: process.env.CARRIER_SIMULATOR ?? 'true' };
const { result } = concurrently(
  apps.map((app) => ({
    name: app.name,
    command: `node --enable-source-maps ${nodeFlags} dist/apps/${app.name}/src/main.js`,
    env: isWorker.has(app.name) ? { METRICS_PORT: String(app.port), CONSUMER_GROUP: WORKERS.find((w) => w.name === app.name).group } : demoEnv,
  })),
  { prefix: 'name', killOthersOn: ['failure'], restartTries: 0 },
);

try {
  await waitForHealth(apps);
  await seedDemoCatalogue();
  console.log(startBanner(apps).join('\n'));
} catch (error) {
  console.error(`Start-up failed: ${error.message}`);
}
await result.catch(() => process.exit(1));
