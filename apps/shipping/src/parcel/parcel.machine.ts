import type { IncidentKind, IncidentResolution } from '@app/contracts';

/**
 * A parcel's status in the shipping app. REFUNDING: the refund was decided and its participant calls
 * are under way (no event yet); every other status is the one its last event announced.
 */
export type ParcelState = 'REGISTERED' | 'SHIPPED' | 'DELIVERED' | 'INCIDENT' | 'REFUNDING' | 'RESHIPPED' | 'REFUNDED';

/** Every status a transition reaches. */
export const PARCEL_STATES: readonly ParcelState[] = ['SHIPPED', 'DELIVERED', 'INCIDENT', 'REFUNDING', 'RESHIPPED', 'REFUNDED'];

/** What the carrier (or the deadline, or an operator resolving an incident) tells the shipping app. */
export type ParcelMove =
  | { kind: 'ship'; carrierRef?: string }
  | { kind: 'deliver' }
  | { kind: 'declare-incident'; incident: IncidentKind; detail?: string }
  | { kind: 'resolve'; resolution: IncidentResolution };

/** The transitions of a parcel, in one table: which statuses each move leaves from, and where it leads. */
export const PARCEL_TRANSITIONS: { readonly [K in ParcelMove['kind'] | 'refund-done']: { from: readonly ParcelState[]; to: ParcelState } } = {
  ship: { from: ['REGISTERED'], to: 'SHIPPED' },
  deliver: { from: ['SHIPPED'], to: 'DELIVERED' },
  'declare-incident': { from: ['REGISTERED', 'SHIPPED'], to: 'INCIDENT' },
  resolve: { from: ['INCIDENT'], to: 'RESHIPPED' },
  'refund-done': { from: ['REFUNDING'], to: 'REFUNDED' },
};

/** Statuses in which a parcel still waits for the carrier: the deadline watches them. */
export const AWAITING_CARRIER: readonly ParcelState[] = ['REGISTERED', 'SHIPPED'];

/** What a move does to a parcel in a given status. */
export type ParcelDecision =
  /** Apply it: the parcel goes to `to`. */
  | { verdict: 'apply'; to: ParcelState }
  /** The same move was applied already (a redelivered callback): answer the parcel as it is, change nothing. */
  | { verdict: 'repeat' }
  /** The refund was decided before and its participant calls may not have finished: run them again (they are idempotent). */
  | { verdict: 'resume-refund' }
  /** Illegal from this status. */
  | { verdict: 'refuse' };

/** The status a move leads to (a resolution leads to REFUNDING first, then REFUNDED once the participants answered). */
function targetOf(move: ParcelMove): ParcelState {
  if (move.kind === 'resolve') return move.resolution === 'RESHIPPED' ? 'RESHIPPED' : 'REFUNDING';
  return PARCEL_TRANSITIONS[move.kind].to;
}

/** Decides a move on a parcel in `state` (pure). */
export function decideMove(state: ParcelState, move: ParcelMove): ParcelDecision {
  const to = targetOf(move);
  if (PARCEL_TRANSITIONS[move.kind].from.includes(state)) return { verdict: 'apply', to };
  if (move.kind === 'resolve' && move.resolution === 'REFUNDED') {
    if (state === 'REFUNDING') return { verdict: 'resume-refund' };
    if (state === 'REFUNDED') return { verdict: 'repeat' };
    return { verdict: 'refuse' };
  }
  return state === to ? { verdict: 'repeat' } : { verdict: 'refuse' };
}
