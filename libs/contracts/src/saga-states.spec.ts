import type { SagaEvents } from './saga.events.js';
import { COMPENSATING_SAGA_STATES, SAGA_STATES, SagaState, TERMINAL_SAGA_STATES, isSagaState, isTerminalSagaState } from './saga-states.js';

describe('saga states', () => {
  it('lists every state once, each under its own name', () => {
    expect(new Set(SAGA_STATES).size).toBe(19);
    for (const [name, state] of Object.entries(SagaState)) expect(state).toBe(name);
  });

  it('tells the states apart from anything else, and the terminal ones from the others', () => {
    expect(isSagaState('SAGA_TERMINEE')).toBe(true);
    expect(isSagaState('SAGA_TERMINE')).toBe(false);
    expect(isSagaState(undefined)).toBe(false);
    expect(SAGA_STATES.filter(isTerminalSagaState)).toEqual(TERMINAL_SAGA_STATES);
    expect(COMPENSATING_SAGA_STATES.every((state) => SAGA_STATES.includes(state))).toBe(true);
  });
});

/** Compile-time checks (tsc fails on an unused @ts-expect-error): never called. */
export function typeChecks(transition: SagaEvents['SagaTransitioned']): void {
  const from: SagaState = transition.from;
  const to: SagaState = transition.to;
  void [from, to];
  // @ts-expect-error a misspelt state is not a SagaState
  const misspelt: SagaEvents['SagaTransitioned']['to'] = 'SAGA_TERMINE';
  // @ts-expect-error a transition names states, not any string
  const anyString: SagaEvents['SagaTransitioned']['from'] = String(transition.to);
  void [misspelt, anyString];
}
