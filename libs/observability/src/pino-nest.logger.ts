import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Routes Nest's own log calls (bootstrap, exceptions, modules) into the JSON logger. A message that
 * is an object (`{ msg, checkoutId, ... }`) keeps its fields as fields of the line.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info(...lineOf(message, { context }));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error(...lineOf(message, { context, trace }));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn(...lineOf(message, { context }));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug(...lineOf(message, { context }));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace(...lineOf(message, { context }));
  }
}

function lineOf(message: unknown, fields: Record<string, unknown>): [Record<string, unknown>, string] {
  if (typeof message !== 'object' || message === null || message instanceof Error) return [fields, String(message)];
  const { msg, ...rest } = message as Record<string, unknown>;
  return [{ ...fields, ...rest }, typeof msg === 'string' ? msg : JSON.stringify(msg ?? '')];
}
