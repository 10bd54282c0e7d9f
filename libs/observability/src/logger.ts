import { type DestinationStream, pino, type Logger } from 'pino';
import { currentCorrelationId } from './correlation.context.js';
import { currentTraceIds } from './tracing/spans.js';

/**
 * A JSON logger whose every line carries the app name and the current correlation id, and, when
 * tracing is on and the line is written inside a span, its `trace_id` and `span_id`.
 */
export function createLogger(app: string, level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const correlationId = currentCorrelationId();
      const ids = currentTraceIds();
      if (ids === undefined) return correlationId === undefined ? {} : { correlationId };
      return correlationId === undefined ? ids : { correlationId, ...ids };
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
