import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type WorkerAppOptions, createHttpApp, startWorkerApp } from '@app/http-app';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

function testAppOf(app: NestFastifyApplication): TestApp {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Starts an HTTP app exactly as production does, on a free port. */
export async function startTestApp(module: DynamicModule, name = 'test'): Promise<TestApp> {
  const app = await createHttpApp(module, { name, logLevel: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  await app.listen(0, '127.0.0.1');
  return testAppOf(app);
}

/** Starts a worker exactly as production does: its stream consumer, and /health and /metrics on a free port (`url`). */
export async function startTestWorker(module: DynamicModule, options: Omit<WorkerAppOptions, 'port' | 'host'>): Promise<TestApp> {
  return testAppOf(await startWorkerApp(module, { ...options, port: 0, host: '127.0.0.1' }));
}
