import { Inject, Injectable } from '@nestjs/common';
import { SAGA_WORKERS } from '@app/choreography';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type EventType, STREAMS, STREAM_OF } from '@app/contracts';
import type { CheckoutReplay, TimelineEntry } from '@app/projections';
import { BackendClient, BackendError } from '../backend/backend.client.js';
import type { CheckoutStatus, SagaStatus, StreamSummary } from '../backend/backend.views.js';
import { type ChainLink, type SagaMachine, chainDiagram, eventChain, machineDiagram } from './checkout-diagrams.js';
import { type GanttBar, choreographedGantt, orchestratedGantt } from './checkout-gantt.js';
import { type TraceLink, traceLinksOf } from './checkout-traces.js';
import type { CheckoutStyle } from './checkout.params.js';

const CHECKOUT_STREAM = 'ecommerce.checkout.events';
const GROUP_OF_WORKER = new Map<string, string>(Object.values(SAGA_WORKERS).map((w) => [w.name, w.group]));
const groupOf = (producer: string): string => GROUP_OF_WORKER.get(producer) ?? producer;
/** The parcel's events, which the checkout's replay lists after its own: shown apart, so the checkout's timing keeps its scale. */
const isParcelEvent = (entry: TimelineEntry): boolean => STREAM_OF[entry.type as EventType] === STREAMS.shipping;

/** One checkout as the page shows it. */
export interface CheckoutDetail {
  style: CheckoutStyle;
  id: string;
  /** SAGA_TERMINEE, PENDING, FAILED... */
  state: string;
  outcome: 'running' | 'succeeded' | 'failed';
  /** The status and the replayed timeline both say it ended: nothing more will change. */
  final: boolean;
  failure?: string;
  bars: GanttBar[];
  /** Mermaid source: the state machine with the saga's path, or the chain of events. */
  diagram: string;
  chain: ChainLink[];
  /** The groups of the checkout stream: every one of them is delivered every event. */
  groups: string[];
  /** Why the timeline is empty, when the event store has nothing yet. */
  timelineNote?: string;
  events: number;
  /** The parcel's life after a success (ParcelRegistered, ParcelShipped...), in order. */
  parcel: TimelineEntry[];
  /** The traces its events belong to, when they were traced and the console knows a traces UI. */
  traces: TraceLink[];
}

/** Reads a checkout from the apps that know it: its status, its replay from the event store, the machine or the bus. */
@Injectable()
export class CheckoutDetailReader {
  private machine: SagaMachine | undefined;

  constructor(
    private readonly backend: BackendClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async read(style: CheckoutStyle, id: string, apiKey: string): Promise<CheckoutDetail> {
    return style === 'orchestrated' ? this.orchestrated(id, apiKey) : this.choreographed(id, apiKey);
  }

  /** The replay, or an empty one while the audit worker has not stored the first event yet. */
  private async replay(id: string, apiKey: string): Promise<{ timeline: TimelineEntry[]; parcel: TimelineEntry[]; note?: string }> {
    try {
      const { timeline } = await this.backend.call<CheckoutReplay>(this.backend.routes.replay(id), apiKey);
      return { timeline: timeline.filter((e) => !isParcelEvent(e)), parcel: timeline.filter(isParcelEvent) };
    } catch (error) {
      if (error instanceof BackendError && error.status === 404)
        return { timeline: [], parcel: [], note: 'The event store has no event of this checkout yet.' };
      throw error;
    }
  }

  private async orchestrated(id: string, apiKey: string): Promise<CheckoutDetail> {
    const { routes } = this.backend;
    const [saga, replay] = await Promise.all([this.backend.call<SagaStatus>(routes.sagaStatus(id), apiKey), this.replay(id, apiKey)]);
    this.machine ??= await this.backend.call<SagaMachine>(routes.sagaMachine, apiKey);
    const stored = replay.timeline.filter((e) => e.transition !== undefined).length;
    const outcome = !saga.terminal ? 'running' : saga.state === 'SAGA_TERMINEE' ? 'succeeded' : 'failed';
    return {
      style: 'orchestrated',
      id,
      state: saga.state,
      outcome,
      final: saga.terminal && stored >= saga.transitions.length,
      ...(saga.code !== undefined && { failure: `${saga.failedStep ?? ''} ${saga.code}`.trim() }),
      bars: orchestratedGantt(replay.timeline),
      diagram: machineDiagram(this.machine, saga.transitions),
      chain: [],
      groups: [],
      ...(replay.note !== undefined && { timelineNote: replay.note }),
      events: replay.timeline.length + replay.parcel.length,
      parcel: replay.parcel,
      traces: traceLinksOf([...replay.timeline, ...replay.parcel], this.config.CONSOLE_TRACES_URL),
    };
  }

  private async choreographed(id: string, apiKey: string): Promise<CheckoutDetail> {
    const { routes } = this.backend;
    const [status, replay, streams] = await Promise.all([
      this.backend.call<CheckoutStatus>(routes.checkoutStatus(id), apiKey),
      this.replay(id, apiKey),
      this.backend.call<StreamSummary[]>(routes.streams, apiKey),
    ]);
    const ended = replay.timeline.some((e) => e.type === 'CheckoutSucceeded' || e.type === 'CheckoutFailed');
    const chain = eventChain(replay.timeline, groupOf);
    return {
      style: 'choreographed',
      id,
      state: status.status,
      outcome: status.status === 'PENDING' ? 'running' : status.status === 'SUCCEEDED' ? 'succeeded' : 'failed',
      final: status.status !== 'PENDING' && ended,
      ...(status.code !== undefined && { failure: `${status.failedStep ?? ''} ${status.code}: ${status.reason ?? ''}`.trim() }),
      bars: choreographedGantt(replay.timeline),
      diagram: chainDiagram(chain, groupOf),
      chain,
      groups: streams.find((s) => s.stream === CHECKOUT_STREAM)?.groups.map((g) => g.name) ?? [],
      ...(replay.note !== undefined && { timelineNote: replay.note }),
      events: replay.timeline.length + replay.parcel.length,
      parcel: replay.parcel,
      traces: traceLinksOf([...replay.timeline, ...replay.parcel], this.config.CONSOLE_TRACES_URL),
    };
  }
}
