import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Where every HTTP app serves its API reference: the Swagger UI here, the OpenAPI JSON at `/api-docs-json`. */
export const OPEN_API_PATH = 'api-docs';

/** The name of the X-API-Key scheme in the documents. */
const API_KEY_SCHEME = 'api-key';

/**
 * Serves the app's OpenAPI document, built from its controllers on the first request (so starting
 * an app costs nothing more). The routes are the HTTP adapter's own, outside Nest's guards: the
 * reference is open without a key, like `/health` and `/metrics`.
 */
export function serveOpenApi(app: INestApplication, name: string): void {
  const config = new DocumentBuilder()
    .setTitle(name)
    .setDescription(`The HTTP API of \`${name}\`. Every route but /health, /health/live and /metrics needs an X-API-Key header.`)
    .setVersion('1')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, API_KEY_SCHEME)
    .addSecurityRequirements(API_KEY_SCHEME)
    .build();
  SwaggerModule.setup(OPEN_API_PATH, app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: `${OPEN_API_PATH}-json` });
}
