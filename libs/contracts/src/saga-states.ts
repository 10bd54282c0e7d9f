/**
 * The states of an orchestrated checkout (the seed's `EtatSaga`, extended for payment), by name:
 * code that means one state names it `SagaState.SAGA_TERMINEE`, and the compiler knows them all.
 */
export const SagaState = {
  EN_ATTENTE: 'EN_ATTENTE',
  VERIFICATION_STOCK: 'VERIFICATION_STOCK',
  STOCK_VERIFIE: 'STOCK_VERIFIE',
  RESERVATION_STOCK: 'RESERVATION_STOCK',
  STOCK_RESERVE: 'STOCK_RESERVE',
  CREATION_COMMANDE: 'CREATION_COMMANDE',
  COMMANDE_CREEE: 'COMMANDE_CREEE',
  AUTORISATION_PAIEMENT: 'AUTORISATION_PAIEMENT',
  PAIEMENT_AUTORISE: 'PAIEMENT_AUTORISE',
  CONFIRMATION_COMMANDE: 'CONFIRMATION_COMMANDE',
  SAGA_TERMINEE: 'SAGA_TERMINEE',
  ECHEC_STOCK_INSUFFISANT: 'ECHEC_STOCK_INSUFFISANT',
  ECHEC_RESERVATION_STOCK: 'ECHEC_RESERVATION_STOCK',
  ECHEC_CREATION_COMMANDE: 'ECHEC_CREATION_COMMANDE',
  ECHEC_PAIEMENT: 'ECHEC_PAIEMENT',
  ECHEC_CONFIRMATION_COMMANDE: 'ECHEC_CONFIRMATION_COMMANDE',
  COMPENSATION_EN_COURS: 'COMPENSATION_EN_COURS',
  SAGA_ANNULEE: 'SAGA_ANNULEE',
  COMPENSATION_ECHOUEE: 'COMPENSATION_ECHOUEE',
} as const;

export type SagaState = (typeof SagaState)[keyof typeof SagaState];

/** Every state, in the order of the checkout. */
export const SAGA_STATES: readonly SagaState[] = Object.values(SagaState);

/** Where a saga stops: it succeeded, was compensated, or is parked with a compensation that kept failing. */
export const TERMINAL_SAGA_STATES: readonly SagaState[] = [SagaState.SAGA_TERMINEE, SagaState.SAGA_ANNULEE, SagaState.COMPENSATION_ECHOUEE];

/** The states in which a saga is being, or could not be, undone. */
export const COMPENSATING_SAGA_STATES: readonly SagaState[] = [SagaState.COMPENSATION_EN_COURS, SagaState.COMPENSATION_ECHOUEE];

export const isSagaState = (value: unknown): value is SagaState => SAGA_STATES.includes(value as SagaState);

export const isTerminalSagaState = (state: SagaState): boolean => TERMINAL_SAGA_STATES.includes(state);
