import { counter } from '@app/observability';

/** The audit worker's metrics: events it stored, and events it had already stored (redeliveries, republished outcomes). */
export const auditMetrics = () => ({
  stored: counter<'result'>({
    name: 'event_store_appends_total',
    help: 'Events handed to the event store, by result (appended or duplicate)',
    labelNames: ['result'],
  }),
});
