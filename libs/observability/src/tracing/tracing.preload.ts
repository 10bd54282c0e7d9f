/**
 * Preloaded with `node --import` by the launchers when tracing is on (OTEL_SDK_DISABLED=false), and
 * only then: starts the SDK before any of the app's modules is evaluated, so the instrumentations
 * patch them (ADR 0017).
 */
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { loadConfig, tracingEnabled } from '@app/config';

/** The app, from its entry point `dist/apps/<app>/src/main.js`. */
const app = basename(dirname(dirname(process.argv[1] ?? 'app/src/main.js')));

/**
 * The instrumented packages, all CommonJS. Required here, right after the instrumentations are
 * registered, they are patched by the `require` hook; the app's `import` of them later gets the
 * same, patched, module. This spares every process the ESM loader hooks (import-in-the-middle runs
 * them in Node 20's loader thread: about 1.3 s more CPU at each start, for nothing these packages need).
 */
const INSTRUMENTED = ['pg', 'ioredis', 'node:http', 'node:https'];

const config = loadConfig();
// Preloaded by hand, or by a launcher that did not check: the settings still decide.
if (tracingEnabled(config)) {
  // Loaded only now: off, no SDK module is ever evaluated.
  const { startTracing } = await import('./tracing.sdk.js');
  startTracing(config, app);
  const require = createRequire(import.meta.url);
  for (const name of INSTRUMENTED) require(name);
}
