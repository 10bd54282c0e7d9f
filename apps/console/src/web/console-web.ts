import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';
import { consoleAssets } from './console-assets.js';

/** A session is forgotten after this long without a page. */
const SESSION_MAX_AGE_MS = 8 * 60 * 60_000;

/**
 * The web side of the console: a server-side session (the cookie holds its id only; the API key
 * stays in the process), CSRF tokens bound to it, our browser files and the libraries' builds.
 */
export async function configureConsoleWeb(app: NestFastifyApplication, config: Pick<AppConfig, 'CONSOLE_SESSION_SECRET'>): Promise<void> {
  const assets = consoleAssets();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: config.CONSOLE_SESSION_SECRET || randomBytes(32).toString('hex'),
    cookieName: 'console.sid',
    // `auto`: Secure behind HTTPS, and still usable on http://127.0.0.1 after `npm start`. `lax`: a link from
    // elsewhere opens the console signed in; what changes anything is a POST, which needs the CSRF token.
    cookie: { secure: 'auto', httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_MAX_AGE_MS },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  await app.register(fastifyStatic, { root: assets.public, prefix: '/assets/' });
  await app.register(fastifyStatic, {
    root: [...new Set(Object.values(assets.vendor).map((file) => dirname(file)))],
    prefix: '/vendor/',
    decorateReply: false,
    allowedPath: (path) => Object.keys(assets.vendor).includes(path.replace(/^\//, '')),
  });
}
