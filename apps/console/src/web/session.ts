import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface Session {
    /** The API key the person entered: kept here, server side, and sent on to the apps; never in a page or a URL. */
    apiKey?: string;
    /** The result of the last action, shown once on the page it redirects to. */
    flash?: Flash;
  }
}

export interface Flash {
  ok: boolean;
  text: string;
}

/** Sets the message the next page shows once. */
export function flash(request: FastifyRequest, message: Flash): void {
  request.session.flash = message;
}

/** Takes the message to show, if any, so that it shows only once. */
export function takeFlash(request: FastifyRequest): Flash | undefined {
  const message = request.session.flash;
  if (message !== undefined) request.session.flash = undefined;
  return message;
}
