import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@app/http-app';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** Starts an HTTP app exactly as production does, on a free port. */
export async function startTestApp(module: DynamicModule, name = 'test'): Promise<TestApp> {
  const app = await createHttpApp(module, { name, logLevel: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
