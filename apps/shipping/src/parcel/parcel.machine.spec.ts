import { type ParcelMove, type ParcelState, decideMove } from './parcel.machine.js';

const STATES: ParcelState[] = ['REGISTERED', 'SHIPPED', 'DELIVERED', 'INCIDENT', 'REFUNDING', 'RESHIPPED', 'REFUNDED'];
const MOVES: Record<string, ParcelMove> = {
  ship: { kind: 'ship' },
  deliver: { kind: 'deliver' },
  incident: { kind: 'declare-incident', incident: 'LOST' },
  reship: { kind: 'resolve', resolution: 'RESHIPPED' },
  refund: { kind: 'resolve', resolution: 'REFUNDED' },
};

/** Every move from every state, as the table reads: `to` when applied, `=` a repeat, `resume`, or `409`. */
const EXPECTED: Record<string, Record<ParcelState, string>> = {
  ship: { REGISTERED: 'SHIPPED', SHIPPED: '=', DELIVERED: '409', INCIDENT: '409', REFUNDING: '409', RESHIPPED: '409', REFUNDED: '409' },
  deliver: { REGISTERED: '409', SHIPPED: 'DELIVERED', DELIVERED: '=', INCIDENT: '409', REFUNDING: '409', RESHIPPED: '409', REFUNDED: '409' },
  incident: { REGISTERED: 'INCIDENT', SHIPPED: 'INCIDENT', DELIVERED: '409', INCIDENT: '=', REFUNDING: '409', RESHIPPED: '409', REFUNDED: '409' },
  reship: { REGISTERED: '409', SHIPPED: '409', DELIVERED: '409', INCIDENT: 'RESHIPPED', REFUNDING: '409', RESHIPPED: '=', REFUNDED: '409' },
  refund: { REGISTERED: '409', SHIPPED: '409', DELIVERED: '409', INCIDENT: 'REFUNDING', REFUNDING: 'resume', RESHIPPED: '409', REFUNDED: '=' },
};

describe('parcel transitions', () => {
  it.each(Object.keys(MOVES))('decides %s from every state as the table says', (name) => {
    const decided = Object.fromEntries(
      STATES.map((state) => {
        const d = decideMove(state, MOVES[name]!);
        const shown = d.verdict === 'apply' ? d.to : d.verdict === 'repeat' ? '=' : d.verdict === 'resume-refund' ? 'resume' : '409';
        return [state, shown];
      }),
    );
    expect(decided).toEqual(EXPECTED[name]);
  });

  it('refuses to ship a delivered parcel again', () => {
    expect(decideMove('DELIVERED', { kind: 'ship', carrierRef: 'X' })).toEqual({ verdict: 'refuse' });
  });
});
