import type { SagaState } from '@app/contracts';
import type { CompensatingData, OrderedData, ParkedData, PricedData, RequestedData, SagaDataOf, SagaFacts, SagaSnapshot } from './saga.model.js';

/** Whether data holds the facts of `T`. */
type Holds<T> = (data: SagaFacts) => data is SagaFacts & T;

const requested: Holds<RequestedData> = (_data): _data is SagaFacts & RequestedData => true;
const priced: Holds<PricedData> = (data): data is SagaFacts & PricedData => data.items !== undefined && data.totalCents !== undefined;
const ordered: Holds<OrderedData> = (data): data is SagaFacts & OrderedData => priced(data) && data.orderId !== undefined;
const compensating: Holds<CompensatingData> = (data): data is SagaFacts & CompensatingData => data.failure !== undefined && data.compensation !== undefined;
const parked: Holds<ParkedData> = (data): data is SagaFacts & ParkedData => compensating(data) && data.compensation.error !== undefined;

/** How to tell that data holds what each state guarantees: the compiler checks every entry against `SagaDataOf`. */
const HOLDS: { [S in SagaState]: Holds<SagaDataOf[S]> } = {
  EN_ATTENTE: requested,
  VERIFICATION_STOCK: requested,
  STOCK_VERIFIE: priced,
  RESERVATION_STOCK: priced,
  STOCK_RESERVE: priced,
  CREATION_COMMANDE: priced,
  COMMANDE_CREEE: ordered,
  AUTORISATION_PAIEMENT: ordered,
  PAIEMENT_AUTORISE: ordered,
  CONFIRMATION_COMMANDE: ordered,
  SAGA_TERMINEE: ordered,
  ECHEC_STOCK_INSUFFISANT: compensating,
  ECHEC_RESERVATION_STOCK: compensating,
  ECHEC_CREATION_COMMANDE: compensating,
  ECHEC_PAIEMENT: compensating,
  ECHEC_CONFIRMATION_COMMANDE: compensating,
  COMPENSATION_EN_COURS: compensating,
  SAGA_ANNULEE: compensating,
  COMPENSATION_ECHOUEE: parked,
};

export class MissingFactsError extends Error {
  constructor(readonly state: SagaState) {
    super(`A saga cannot enter ${state} without the facts it guarantees`);
    this.name = 'MissingFactsError';
  }
}

/**
 * The saga in `state` with `data`, once checked that the data holds what the state guarantees.
 * `decide` enters every state through here, so the code acting on a state (the commands, the
 * executor, the answers) reads its facts from the type alone.
 * @throws MissingFactsError when a transition would enter a state without its facts: a defect of the machine.
 */
export function snapshotOf(state: SagaState, data: SagaFacts): SagaSnapshot {
  if (!HOLDS[state](data)) throw new MissingFactsError(state);
  // HOLDS[state] checked exactly SagaDataOf[state]; the compiler cannot follow `state` into the union.
  return { state, data } as SagaSnapshot;
}
