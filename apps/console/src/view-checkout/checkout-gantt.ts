import type { TimelineEntry } from '@app/projections';

export type BarKind = 'step' | 'compensation' | 'failure' | 'end';

/** One bar of the Gantt chart: milliseconds from the checkout's first event. */
export interface GanttBar {
  label: string;
  startMs: number;
  endMs: number;
  kind: BarKind;
}

const COMPENSATION_EVENTS = new Set(['OrderCancelled', 'StockReleased']);
const FAILURE_EVENTS = new Set(['StockReservationFailed', 'OrderCreationFailed', 'PaymentFailed', 'CheckoutFailed']);
const END_EVENTS = new Set(['CheckoutSucceeded']);

const unique = (timeline: readonly TimelineEntry[]): TimelineEntry[] => [...new Map(timeline.map((e) => [e.eventId, e])).values()];
const time = (entry: TimelineEntry): number => Date.parse(entry.at);

function stateKind(state: string, terminal: boolean): BarKind {
  if (state.startsWith('COMPENSATION')) return state === 'COMPENSATION_ECHOUEE' ? 'failure' : 'compensation';
  if (state.startsWith('ECHEC_')) return 'failure';
  return terminal ? 'end' : 'step';
}

/**
 * The orchestrated saga: each state it entered is a bar, from the transition into it to the
 * transition out of it; the state it is in last is a mark at its entry.
 */
export function orchestratedGantt(timeline: readonly TimelineEntry[]): GanttBar[] {
  const transitions = unique(timeline).filter((e) => e.transition !== undefined);
  const origin = transitions[0] === undefined ? 0 : time(transitions[0]);
  return transitions.map((entry, i) => {
    const state = entry.transition!.split(' -> ')[1] ?? entry.transition!;
    const next = transitions[i + 1];
    const startMs = time(entry) - origin;
    return { label: state, startMs, endMs: next === undefined ? startMs : time(next) - origin, kind: stateKind(state, next === undefined) };
  });
}

function eventKind(type: string): BarKind {
  if (COMPENSATION_EVENTS.has(type)) return 'compensation';
  if (FAILURE_EVENTS.has(type)) return 'failure';
  return END_EVENTS.has(type) ? 'end' : 'step';
}

/**
 * The choreography: each event is a bar from the event it reacts to (its causation) to its own
 * publication, that is the time its producer took; the first event is a mark at zero.
 */
export function choreographedGantt(timeline: readonly TimelineEntry[]): GanttBar[] {
  const events = unique(timeline);
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const origin = events[0] === undefined ? 0 : time(events[0]);
  return events.map((entry) => {
    const cause = entry.causationId === undefined ? undefined : byId.get(entry.causationId);
    const endMs = time(entry) - origin;
    return { label: `${entry.producer}: ${entry.type}`, startMs: cause === undefined ? endMs : time(cause) - origin, endMs, kind: eventKind(entry.type) };
  });
}
