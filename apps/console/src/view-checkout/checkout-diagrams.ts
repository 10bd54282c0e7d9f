import type { TimelineEntry } from '@app/projections';

/** The orchestrator's transition table, as `GET /api/saga/machine` serves it. */
export interface SagaMachine {
  states: string[];
  terminal: string[];
  transitions: { from: string; on: string; to: string }[];
}

/** A transition a saga took, from its status. */
export interface TakenTransition {
  from: string | null;
  to: string;
}

/**
 * The state machine as a mermaid flowchart drawn from the transition table, with the states and
 * transitions the saga took highlighted.
 */
export function machineDiagram(machine: SagaMachine, taken: readonly TakenTransition[]): string {
  const takenEdges = new Set(taken.map((t) => `${t.from}>${t.to}`));
  const visited = new Set(taken.flatMap((t) => (t.from === null ? [t.to] : [t.from, t.to])));
  const lines = ['flowchart TD'];
  machine.transitions.forEach((t) => lines.push(`  ${t.from} -->|${t.on}| ${t.to}`));
  lines.push('  classDef taken fill:#d6ecff,stroke:#0b5cad,stroke-width:3px', '  classDef terminal stroke-dasharray: 4 2');
  const terminal = machine.terminal.filter((s) => machine.states.includes(s));
  if (terminal.length > 0) lines.push(`  class ${terminal.join(',')} terminal`);
  if (visited.size > 0) lines.push(`  class ${[...visited].join(',')} taken`);
  const edges = machine.transitions.flatMap((t, i) => (takenEdges.has(`${t.from}>${t.to}`) ? [i] : []));
  if (edges.length > 0) lines.push(`  linkStyle ${edges.join(',')} stroke:#0b5cad,stroke-width:4px`);
  return lines.join('\n');
}

/** One event of a choreographed checkout, with who published it and which consumer groups reacted to it. */
export interface ChainLink {
  eventId: string;
  type: string;
  producer: string;
  causationId?: string;
  offsetMs: number;
  reactedBy: string[];
}

/**
 * The choreography's chain of events: the consumer groups that reacted to an event are the groups
 * of the workers whose events name it as their cause (`groupOf` maps a producer to its group).
 */
export function eventChain(timeline: readonly TimelineEntry[], groupOf: (producer: string) => string): ChainLink[] {
  const events = [...new Map(timeline.map((e) => [e.eventId, e])).values()];
  const origin = events[0] === undefined ? 0 : Date.parse(events[0].at);
  return events.map((e) => ({
    eventId: e.eventId,
    type: e.type,
    producer: e.producer,
    ...(e.causationId !== undefined && { causationId: e.causationId }),
    offsetMs: Date.parse(e.at) - origin,
    reactedBy: [...new Set(events.filter((other) => other.causationId === e.eventId).map((other) => groupOf(other.producer)))],
  }));
}

/** The chain as a mermaid flowchart: events as nodes, an arrow per reaction labelled with the group that reacted. */
export function chainDiagram(chain: readonly ChainLink[], groupOf: (producer: string) => string): string {
  const index = new Map(chain.map((link, i) => [link.eventId, i]));
  const lines = ['flowchart LR'];
  chain.forEach((link, i) => lines.push(`  e${i}["${link.type}<br/><small>${link.producer} · +${link.offsetMs} ms</small>"]`));
  chain.forEach((link, to) => {
    const from = link.causationId === undefined ? undefined : index.get(link.causationId);
    if (from !== undefined) lines.push(`  e${from} -->|${groupOf(link.producer)}| e${to}`);
  });
  return lines.join('\n');
}
