import { ErrorCode, SagaState as State } from '@app/contracts';
import {
  DEADLINE_EXCEEDED,
  IllegalTransitionError,
  SAGA_STATES,
  type SagaSnapshot,
  type SagaState,
  TERMINAL_STATES,
  STATES,
  TRANSITIONS,
  commandOf,
  decide,
  overdueOutcome,
} from './saga.machine.js';
import { MissingFactsError, snapshotOf } from './saga.facts.js';
import type { ForwardStep, SagaCommand, SagaFacts, SagaOutcome } from './saga.model.js';

const request = { clientId: 'u1', items: [{ sku: 'A', quantity: 2 }], payment: { sealedToken: 'pt1.sealed', tokenDigest: 'digest' } };
const priced = [{ sku: 'A', quantity: 2, unitPriceCents: 500 }];
const data: SagaFacts = { request, items: priced, totalCents: 1000, orderId: 'o1' };

const outcomes = {
  Started: { type: 'Started' },
  StockVerified: { type: 'StockVerified', items: priced, totalCents: 1000 },
  StockReserved: { type: 'StockReserved' },
  OrderCreated: { type: 'OrderCreated', orderId: 'o1', totalCents: 1000 },
  PaymentAuthorized: { type: 'PaymentAuthorized' },
  OrderConfirmed: { type: 'OrderConfirmed' },
  Refused: { type: 'StepFailed', code: 'X.REFUSED', reason: 'no', transient: false },
  Unavailable: { type: 'StepFailed', code: 'X.UNAVAILABLE', reason: 'down', transient: true },
  CompensationRequested: { type: 'CompensationRequested', code: 'SAGA.COMPENSATION_FORCED', reason: 'operator' },
  Compensated: { type: 'Compensated' },
  CompensationFailed: { type: 'CompensationFailed', compensation: 'releaseStock', code: 'INVENTORY.UNAVAILABLE', reason: 'down', tries: 5 },
} satisfies Record<string, SagaOutcome>;

type OutcomeName = keyof typeof outcomes;
const failure = { step: 'payment' as const, code: ErrorCode.CardDeclined, reason: 'declined' };
const compensating = (compensation: NonNullable<SagaFacts['compensation']>): SagaFacts => ({ ...data, failure, compensation });

interface Scenario {
  given: SagaState;
  data?: SagaFacts;
  when: OutcomeName;
  /** The states passed through, in order, starting with `given`. */
  then: SagaState[];
  /** The command, without what a call takes from the facts (see 'the commands'). */
  command: SagaCommand | { kind: 'run'; step: ForwardStep };
}

const stop: SagaCommand = { kind: 'stop' };
const ALL = ['voidPayment', 'cancelOrder', 'releaseStock'] as const;

/** Given a saga in a state, when an outcome arrives, then it passes through these states and runs this command. */
const SCENARIOS: Scenario[] = [
  { given: 'EN_ATTENTE', when: 'Started', then: ['EN_ATTENTE', 'VERIFICATION_STOCK'], command: { kind: 'run', step: 'checkAvailability' } },

  {
    given: 'VERIFICATION_STOCK',
    when: 'StockVerified',
    then: ['VERIFICATION_STOCK', 'STOCK_VERIFIE', 'RESERVATION_STOCK'],
    command: { kind: 'run', step: 'reserveStock' },
  },
  {
    given: 'VERIFICATION_STOCK',
    when: 'Refused',
    then: ['VERIFICATION_STOCK', 'ECHEC_STOCK_INSUFFISANT', 'COMPENSATION_EN_COURS', 'SAGA_ANNULEE'],
    command: stop,
  },
  {
    given: 'VERIFICATION_STOCK',
    when: 'Unavailable',
    then: ['VERIFICATION_STOCK', 'ECHEC_STOCK_INSUFFISANT', 'COMPENSATION_EN_COURS', 'SAGA_ANNULEE'],
    command: stop,
  },
  { given: 'VERIFICATION_STOCK', when: 'CompensationRequested', then: ['VERIFICATION_STOCK', 'COMPENSATION_EN_COURS', 'SAGA_ANNULEE'], command: stop },

  {
    given: 'RESERVATION_STOCK',
    when: 'StockReserved',
    then: ['RESERVATION_STOCK', 'STOCK_RESERVE', 'CREATION_COMMANDE'],
    command: { kind: 'run', step: 'createOrder' },
  },
  {
    given: 'RESERVATION_STOCK',
    when: 'Refused',
    then: ['RESERVATION_STOCK', 'ECHEC_RESERVATION_STOCK', 'COMPENSATION_EN_COURS', 'SAGA_ANNULEE'],
    command: stop,
  },
  {
    given: 'RESERVATION_STOCK',
    when: 'Unavailable',
    then: ['RESERVATION_STOCK', 'ECHEC_RESERVATION_STOCK', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['releaseStock'] },
  },
  {
    given: 'RESERVATION_STOCK',
    when: 'CompensationRequested',
    then: ['RESERVATION_STOCK', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['releaseStock'] },
  },

  {
    given: 'CREATION_COMMANDE',
    when: 'OrderCreated',
    then: ['CREATION_COMMANDE', 'COMMANDE_CREEE', 'AUTORISATION_PAIEMENT'],
    command: { kind: 'run', step: 'authorizePayment' },
  },
  {
    given: 'CREATION_COMMANDE',
    when: 'Refused',
    then: ['CREATION_COMMANDE', 'ECHEC_CREATION_COMMANDE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['releaseStock'] },
  },
  {
    given: 'CREATION_COMMANDE',
    when: 'Unavailable',
    then: ['CREATION_COMMANDE', 'ECHEC_CREATION_COMMANDE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['cancelOrder', 'releaseStock'] },
  },
  {
    given: 'CREATION_COMMANDE',
    when: 'CompensationRequested',
    then: ['CREATION_COMMANDE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['cancelOrder', 'releaseStock'] },
  },

  {
    given: 'AUTORISATION_PAIEMENT',
    when: 'PaymentAuthorized',
    then: ['AUTORISATION_PAIEMENT', 'PAIEMENT_AUTORISE', 'CONFIRMATION_COMMANDE'],
    command: { kind: 'run', step: 'confirmOrder' },
  },
  {
    given: 'AUTORISATION_PAIEMENT',
    when: 'Refused',
    then: ['AUTORISATION_PAIEMENT', 'ECHEC_PAIEMENT', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['cancelOrder', 'releaseStock'] },
  },
  {
    given: 'AUTORISATION_PAIEMENT',
    when: 'Unavailable',
    then: ['AUTORISATION_PAIEMENT', 'ECHEC_PAIEMENT', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: [...ALL] },
  },
  {
    given: 'AUTORISATION_PAIEMENT',
    when: 'CompensationRequested',
    then: ['AUTORISATION_PAIEMENT', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: [...ALL] },
  },

  { given: 'CONFIRMATION_COMMANDE', when: 'OrderConfirmed', then: ['CONFIRMATION_COMMANDE', 'SAGA_TERMINEE'], command: stop },
  {
    given: 'CONFIRMATION_COMMANDE',
    when: 'Refused',
    then: ['CONFIRMATION_COMMANDE', 'ECHEC_CONFIRMATION_COMMANDE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: [...ALL] },
  },
  {
    given: 'CONFIRMATION_COMMANDE',
    when: 'Unavailable',
    then: ['CONFIRMATION_COMMANDE', 'ECHEC_CONFIRMATION_COMMANDE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: [...ALL] },
  },
  {
    given: 'CONFIRMATION_COMMANDE',
    when: 'CompensationRequested',
    then: ['CONFIRMATION_COMMANDE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: [...ALL] },
  },

  { given: 'SAGA_TERMINEE', when: 'CompensationRequested', then: ['SAGA_TERMINEE', 'COMPENSATION_EN_COURS'], command: { kind: 'compensate', plan: [...ALL] } },

  {
    given: 'COMPENSATION_EN_COURS',
    data: compensating({ plan: ['releaseStock'] }),
    when: 'Compensated',
    then: ['COMPENSATION_EN_COURS', 'SAGA_ANNULEE'],
    command: stop,
  },
  {
    given: 'COMPENSATION_EN_COURS',
    data: compensating({ plan: ['releaseStock'] }),
    when: 'CompensationFailed',
    then: ['COMPENSATION_EN_COURS', 'COMPENSATION_ECHOUEE'],
    command: stop,
  },

  {
    given: 'COMPENSATION_ECHOUEE',
    data: compensating({
      plan: ['cancelOrder', 'releaseStock'],
      error: { compensation: 'releaseStock', code: 'INVENTORY.UNAVAILABLE', reason: 'down', tries: 5 },
    }),
    when: 'CompensationRequested',
    then: ['COMPENSATION_ECHOUEE', 'COMPENSATION_EN_COURS'],
    command: { kind: 'compensate', plan: ['cancelOrder', 'releaseStock'] },
  },
];

/** States only ever passed through: nothing arrives while a saga is in them. */
const PASSED_THROUGH: SagaState[] = [
  'STOCK_VERIFIE',
  'STOCK_RESERVE',
  'COMMANDE_CREEE',
  'PAIEMENT_AUTORISE',
  'ECHEC_STOCK_INSUFFISANT',
  'ECHEC_RESERVATION_STOCK',
  'ECHEC_CREATION_COMMANDE',
  'ECHEC_PAIEMENT',
  'ECHEC_CONFIRMATION_COMMANDE',
];
/** Final: nothing is legal any more. */
const FINAL: SagaState[] = ['SAGA_ANNULEE'];

/** A saga in any state with the facts given: tests reach states `decide` would only enter with their facts. */
const snapshot = (state: SagaState, d: SagaFacts = data): SagaSnapshot => ({ state, data: d }) as SagaSnapshot;

describe('the saga state machine', () => {
  describe.each(SCENARIOS)('given $given', ({ given, data: d, when, then, command }) => {
    it(`when ${when}, then ${then.slice(1).join(' -> ')} and ${command.kind === 'run' ? `run ${command.step}` : command.kind === 'compensate' ? `compensate ${command.plan.join(', ')}` : 'stop'}`, () => {
      const decision = decide(snapshot(given, d), outcomes[when]);
      expect(decision.transitions.map((t) => [t.from, t.to])).toEqual(then.slice(1).map((to, i) => [then[i], to]));
      expect(decision.state).toBe(then.at(-1));
      expect(decision.command).toMatchObject(command);
    });
  });

  describe('the commands', () => {
    it('give each call what the facts of its state guarantee', () => {
      const ordered = { request, items: priced, totalCents: 1000, orderId: 'o1' };
      expect(commandOf({ state: State.VERIFICATION_STOCK, data: { request } })).toEqual({ kind: 'run', step: 'checkAvailability', items: request.items });
      expect(commandOf({ state: State.RESERVATION_STOCK, data: { request, items: priced, totalCents: 1000 } })).toEqual({
        kind: 'run',
        step: 'reserveStock',
        items: request.items,
      });
      expect(commandOf({ state: State.CREATION_COMMANDE, data: { request, items: priced, totalCents: 1000 } })).toEqual({
        kind: 'run',
        step: 'createOrder',
        clientId: 'u1',
        items: priced,
      });
      expect(commandOf({ state: State.AUTORISATION_PAIEMENT, data: ordered })).toEqual({
        kind: 'run',
        step: 'authorizePayment',
        amountCents: 1000,
        token: 'pt1.sealed',
      });
      expect(commandOf({ state: State.CONFIRMATION_COMMANDE, data: ordered })).toEqual({ kind: 'run', step: 'confirmOrder', orderId: 'o1' });
    });

    it('run, in each state, the step the state table names', () => {
      for (const state of SAGA_STATES) {
        const command = commandOf(snapshot(state, compensating({ plan: [] })));
        expect(command.kind === 'run' ? command.step : undefined).toBe(STATES[state].runs);
      }
    });
  });

  describe('the facts a state guarantees', () => {
    it('are checked when a state is entered: a state is never entered without them', () => {
      expect(() => snapshotOf(State.CREATION_COMMANDE, { request })).toThrow(MissingFactsError);
      expect(() => snapshotOf(State.CONFIRMATION_COMMANDE, { request, items: priced, totalCents: 1000 })).toThrow(MissingFactsError);
      expect(() => snapshotOf(State.COMPENSATION_ECHOUEE, compensating({ plan: [] }))).toThrow(MissingFactsError);
      expect(snapshotOf(State.CREATION_COMMANDE, { request, items: priced, totalCents: 1000 })).toEqual({
        state: State.CREATION_COMMANDE,
        data: { request, items: priced, totalCents: 1000 },
      });
    });
  });

  it.each(
    SAGA_STATES.flatMap((state) => (Object.keys(outcomes) as OutcomeName[]).map((when) => ({ state, when }))).filter(
      ({ state, when }) => !SCENARIOS.some((s) => s.given === state && s.when === when),
    ),
  )('given $state, when $when, then the transition is refused', ({ state, when }) => {
    expect(() => decide(snapshot(state), outcomes[when])).toThrow(IllegalTransitionError);
  });

  it('covers every state: a scenario, a pass-through state (refusing every outcome above) or a final one', () => {
    const covered = new Set([...SCENARIOS.map((s) => s.given), ...PASSED_THROUGH, ...FINAL]);
    expect([...covered].sort()).toEqual([...SAGA_STATES].sort());
  });

  describe('facts and details', () => {
    it('given a stock check, when priced, then the lines and total are learned and recorded', () => {
      const decision = decide(snapshot('VERIFICATION_STOCK', { request }), outcomes.StockVerified);
      expect(decision.facts).toEqual({ items: priced, totalCents: 1000 });
      expect(decision.transitions[0]!.detail).toEqual({ totalCents: 1000 });
    });

    it('given an order in creation, when created, then its id and total are learned', () => {
      expect(decide(snapshot('CREATION_COMMANDE'), outcomes.OrderCreated).facts).toEqual({ orderId: 'o1', totalCents: 1000 });
    });

    it('given a payment, when declined, then the failure names the step, code and reason, and the history says why', () => {
      const declined: SagaOutcome = { type: 'StepFailed', code: ErrorCode.CardDeclined, reason: 'Your card was declined.', transient: false };
      const decision = decide(snapshot('AUTORISATION_PAIEMENT'), declined);
      expect(decision.facts).toEqual({
        failure: { step: 'payment', code: ErrorCode.CardDeclined, reason: 'Your card was declined.' },
        compensation: { plan: ['cancelOrder', 'releaseStock'] },
      });
      expect(decision.transitions.map((t) => t.detail)).toEqual([
        { code: ErrorCode.CardDeclined, reason: 'Your card was declined.', transient: false },
        { plan: ['cancelOrder', 'releaseStock'] },
      ]);
    });

    it('given a stock check, when short, then the shortages are kept and the saga is cancelled with nothing to undo', () => {
      const short: SagaOutcome = {
        type: 'StepFailed',
        code: ErrorCode.InsufficientStock,
        reason: 'short',
        transient: false,
        details: { shortages: [{ sku: 'A', requested: 2, available: 1 }] },
      };
      const decision = decide(snapshot('VERIFICATION_STOCK', { request }), short);
      expect(decision.facts).toEqual({
        failure: { step: 'stock', code: ErrorCode.InsufficientStock, reason: 'short', details: { shortages: [{ sku: 'A', requested: 2, available: 1 }] } },
        compensation: { plan: [] },
      });
      expect(decision.transitions.at(-1)).toEqual({ from: 'COMPENSATION_EN_COURS', to: 'SAGA_ANNULEE', detail: { compensated: [] } });
    });

    it('given a finished saga, when compensation is forced, then the failure is recorded at the confirmation step', () => {
      expect(decide(snapshot('SAGA_TERMINEE'), outcomes.CompensationRequested).facts.failure).toEqual({
        step: 'confirmation',
        code: 'SAGA.COMPENSATION_FORCED',
        reason: 'operator',
      });
    });

    it('given a compensation, when one keeps failing, then the error is kept beside the plan', () => {
      const decision = decide(snapshot('COMPENSATION_EN_COURS', compensating({ plan: ['releaseStock'] })), outcomes.CompensationFailed);
      expect(decision.facts).toEqual({
        compensation: { plan: ['releaseStock'], error: { compensation: 'releaseStock', code: 'INVENTORY.UNAVAILABLE', reason: 'down', tries: 5 } },
      });
      expect(decision.transitions[0]!.detail).toEqual({ compensation: 'releaseStock', code: 'INVENTORY.UNAVAILABLE', reason: 'down', tries: 5 });
    });

    it('given a parked saga, when retried, then the error is cleared and the original failure kept', () => {
      const failure = { step: 'payment' as const, code: ErrorCode.CardDeclined, reason: 'declined' };
      const parked = {
        ...data,
        failure,
        compensation: { plan: ['releaseStock' as const], error: { compensation: 'releaseStock' as const, code: 'X', reason: 'y', tries: 5 } },
      };
      const decision = decide(snapshot('COMPENSATION_ECHOUEE', parked), outcomes.CompensationRequested);
      expect(decision.facts).toEqual({ compensation: { plan: ['releaseStock'] }, reopened: true });
    });

    it('given a compensation, when done, then the history lists what was undone', () => {
      const decision = decide(snapshot('COMPENSATION_EN_COURS', compensating({ plan: [...ALL] })), outcomes.Compensated);
      expect(decision.transitions).toEqual([{ from: 'COMPENSATION_EN_COURS', to: 'SAGA_ANNULEE', detail: { compensated: [...ALL] } }]);
    });
  });

  describe('resuming a saga', () => {
    const deadline = new Date('2030-01-01T00:00:00Z');
    const before = new Date('2029-12-31T23:59:59Z');
    const after = new Date('2030-01-01T00:00:01Z');

    it.each(['VERIFICATION_STOCK', 'RESERVATION_STOCK', 'CREATION_COMMANDE', 'AUTORISATION_PAIEMENT', 'CONFIRMATION_COMMANDE'] as const)(
      'given %s before the deadline, then it goes forward with the same (idempotent) step; past it, it is compensated',
      (state) => {
        expect(overdueOutcome(snapshot(state), deadline, before)).toBeUndefined();
        expect(commandOf(snapshot(state))).toMatchObject({ kind: 'run' });
        expect(overdueOutcome(snapshot(state), deadline, after)).toEqual(DEADLINE_EXCEEDED);
      },
    );

    it('given a compensation in progress past the deadline, then it goes on compensating', () => {
      const saga = snapshot('COMPENSATION_EN_COURS', compensating({ plan: ['releaseStock'] }));
      expect(overdueOutcome(saga, deadline, after)).toBeUndefined();
      expect(commandOf(saga)).toEqual({ kind: 'compensate', plan: ['releaseStock'] });
    });

    it.each(TERMINAL_STATES)('given %s, then there is nothing to resume', (state) => {
      expect(overdueOutcome(snapshot(state), deadline, after)).toBeUndefined();
      expect(commandOf(snapshot(state))).toEqual(stop);
    });
  });

  describe('the transition table', () => {
    it('has at most one transition per state and trigger', () => {
      const keys = TRANSITIONS.map((t) => `${t.from}/${t.on}`);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('names every state, and from every state a terminal state can be reached', () => {
      const reachesEnd = (state: SagaState, seen = new Set<SagaState>()): boolean =>
        TERMINAL_STATES.includes(state) ||
        (!seen.has(state) && TRANSITIONS.filter((t) => t.from === state).some((t) => reachesEnd(t.to, new Set([...seen, state]))));
      const named = new Set(TRANSITIONS.flatMap((t) => [t.from, t.to]));
      expect(SAGA_STATES.filter((s) => !named.has(s))).toEqual([]);
      expect(SAGA_STATES.filter((s) => !reachesEnd(s))).toEqual([]);
    });

    it('leaves SAGA_ANNULEE by no transition at all', () => {
      expect(TRANSITIONS.filter((t) => t.from === 'SAGA_ANNULEE')).toEqual([]);
    });
  });
});

/** Compile-time checks of the saga's data, tagged by its state (tsc fails on an unused @ts-expect-error): never called. */
export function typeChecks(saga: SagaSnapshot): void {
  // @ts-expect-error a saga creating its order has its priced lines: they cannot be missing
  const unpriced: SagaSnapshot = { state: State.CREATION_COMMANDE, data: { request } };
  void unpriced;
  if (saga.state === State.CONFIRMATION_COMMANDE) {
    const orderId: string = saga.data.orderId;
    void orderId;
  }
  if (saga.state === State.COMPENSATION_ECHOUEE) {
    const tries: number = saga.data.compensation.error.tries;
    void tries;
  }
  if (saga.state === State.VERIFICATION_STOCK) {
    // @ts-expect-error nothing is priced before the stock check
    void saga.data.items;
  }
}
