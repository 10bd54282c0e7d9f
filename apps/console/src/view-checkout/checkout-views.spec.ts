import type { TimelineEntry } from '@app/projections';
import { chainDiagram, eventChain, machineDiagram } from './checkout-diagrams.js';
import { choreographedGantt, orchestratedGantt } from './checkout-gantt.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const transition = (ms: number, from: string, to: string, i: number): TimelineEntry => ({
  at: at(ms),
  type: 'SagaTransitioned',
  producer: 'saga-orchestrator',
  eventId: `t${i}`,
  transition: `${from} -> ${to}`,
});
const event = (ms: number, type: string, producer: string, eventId: string, causationId?: string): TimelineEntry => ({
  at: at(ms),
  type,
  producer,
  eventId,
  ...(causationId !== undefined && { causationId }),
});

describe('one checkout drawn from its replayed timeline', () => {
  it('makes a bar of each state a saga went through, from entering it to leaving it', () => {
    const bars = orchestratedGantt([
      transition(0, 'EN_ATTENTE', 'VERIFICATION_STOCK', 1),
      transition(12, 'VERIFICATION_STOCK', 'ECHEC_STOCK_INSUFFISANT', 2),
      transition(15, 'ECHEC_STOCK_INSUFFISANT', 'COMPENSATION_EN_COURS', 3),
      transition(40, 'COMPENSATION_EN_COURS', 'SAGA_ANNULEE', 4),
    ]);
    expect(bars).toEqual([
      { label: 'VERIFICATION_STOCK', startMs: 0, endMs: 12, kind: 'step' },
      { label: 'ECHEC_STOCK_INSUFFISANT', startMs: 12, endMs: 15, kind: 'failure' },
      { label: 'COMPENSATION_EN_COURS', startMs: 15, endMs: 40, kind: 'compensation' },
      { label: 'SAGA_ANNULEE', startMs: 40, endMs: 40, kind: 'end' },
    ]);
  });

  it('makes a bar of each choreographed event from its cause to its publication, once per event id', () => {
    const timeline = [
      event(0, 'CheckoutInitiated', 'checkout', 'a'),
      event(20, 'StockReserved', 'stock-reservation-worker', 'b', 'a'),
      event(35, 'OrderCreated', 'order-creation-worker', 'c', 'b'),
      event(35, 'OrderCreated', 'order-creation-worker', 'c', 'b'),
      event(50, 'PaymentFailed', 'payment-worker', 'd', 'c'),
      event(60, 'OrderCancelled', 'order-compensation-worker', 'e', 'd'),
    ];
    expect(choreographedGantt(timeline).map((b) => [b.label, b.startMs, b.endMs, b.kind])).toEqual([
      ['checkout: CheckoutInitiated', 0, 0, 'step'],
      ['stock-reservation-worker: StockReserved', 0, 20, 'step'],
      ['order-creation-worker: OrderCreated', 20, 35, 'step'],
      ['payment-worker: PaymentFailed', 35, 50, 'failure'],
      ['order-compensation-worker: OrderCancelled', 50, 60, 'compensation'],
    ]);
    const group = (producer: string) => producer.replace(/-worker$/, '');
    const chain = eventChain(timeline, group);
    expect(chain.map((l) => [l.type, l.reactedBy])).toEqual([
      ['CheckoutInitiated', ['stock-reservation']],
      ['StockReserved', ['order-creation']],
      ['OrderCreated', ['payment']],
      ['PaymentFailed', ['order-compensation']],
      ['OrderCancelled', []],
    ]);
    expect(chainDiagram(chain, group)).toContain('e2 -->|payment| e3');
  });

  it('draws the machine from its table with the path taken highlighted', () => {
    const machine = {
      states: ['A', 'B', 'C', 'D'],
      terminal: ['C', 'D'],
      transitions: [
        { from: 'A', on: 'go', to: 'B' },
        { from: 'B', on: 'ok', to: 'C' },
        { from: 'B', on: 'ko', to: 'D' },
      ],
    };
    const diagram = machineDiagram(machine, [
      { from: null, to: 'A' },
      { from: 'A', to: 'B' },
      { from: 'B', to: 'D' },
    ]);
    expect(diagram).toContain('A -->|go| B');
    expect(diagram).toContain('class A,B,D taken');
    expect(diagram).toContain('linkStyle 0,2 ');
  });
});
