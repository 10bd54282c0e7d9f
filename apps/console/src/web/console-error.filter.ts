import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BackendError } from '../backend/backend.client.js';
import { SignInRequired } from './signed-in.guard.js';
import { ViewRenderer } from './view.renderer.js';

interface Problem {
  status: number;
  code: string;
  message: string;
}

function problemOf(error: unknown): Problem | undefined {
  // A back-end refusal keeps its status; the back end failing or away is the console's 502.
  if (error instanceof BackendError) return { status: error.status >= 500 ? 502 : error.status, code: 'CONSOLE.BACKEND', message: error.message };
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const { code, message } = (typeof body === 'object' ? body : { message: body }) as { code?: string; message?: string | string[] };
    return { status: error.getStatus(), code: code ?? `HTTP_${error.getStatus()}`, message: Array.isArray(message) ? message.join('; ') : String(message) };
  }
  // Fastify's own client errors (a body too large, a bad content type).
  const { statusCode, message } = (error ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500)
    return { status: statusCode, code: `HTTP_${statusCode}`, message: String(message) };
  return undefined;
}

/**
 * Errors as the person sees them: a page that names what went wrong (the back end's own status and
 * words included), or JSON for the browser scripts; a page that needs signing in sends to the form.
 */
@Catch()
export class ConsoleErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ConsoleErrorFilter.name);

  constructor(private readonly views: ViewRenderer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (error instanceof SignInRequired && wantsHtml && request.method === 'GET') {
      void reply.redirect('/login', 303);
      return;
    }
    const problem = problemOf(error) ?? { status: 500, code: 'CONSOLE.INTERNAL', message: 'The console failed; its log says why' };
    if (problem.status === 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (!wantsHtml) {
      void reply.status(problem.status).send({ statusCode: problem.status, code: problem.code, message: problem.message });
      return;
    }
    void this.views.page(request, reply, 'error', { title: `Error ${problem.status}`, problem }, problem.status);
  }
}
