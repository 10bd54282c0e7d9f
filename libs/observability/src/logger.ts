import { pino, type Logger } from 'pino';
import { currentCorrelationId } from './correlation.context.js';

/** A JSON logger whose every line carries the app name and the current correlation id. */
export function createLogger(app: string, level: string): Logger {
  return pino({
    level,
    base: { app },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
  });
}
