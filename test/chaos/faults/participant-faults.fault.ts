import { timed } from '../progress.js';
import { PARTICIPANT_APPS } from '../stack.js';
import { type Fault, hold, stopWithin } from './fault.js';

const FAULTY_MS = 3_000;
/** Delays longer than PARTICIPANT_TIMEOUT_MS (1 s): the caller gives up while the call still takes effect, late. */
const FAULTS = { FAULT_ERROR_RATE: '0.2', FAULT_DELAY_RATE: '0.2', FAULT_DELAY_MS: '1500' };
/** What a deployment gives a process to drain before killing it. */
const GRACE_MS = 5_000;

/**
 * The participants' own fault-injection setting, one participant per cycle in turn: some calls fail
 * with a 503 before any effect, some land after their caller timed out.
 */
export const participantFaults: Fault = {
  name: 'participant-faults',
  description:
    `${PARTICIPANT_APPS.join(', ')} in turn restarted with 20% errors and 20% of calls delayed 1.5 s for ${FAULTY_MS / 1_000} s, ` +
    `then restarted clean (each stop SIGTERM, SIGKILL after ${GRACE_MS / 1_000} s)`,
  async inject({ stack }, cycle) {
    const participant = stack.participants[cycle % PARTICIPANT_APPS.length]!;
    await timed(`${participant.name} stopped`, () => stopWithin(participant, GRACE_MS));
    await timed(`${participant.name} restarted with faults`, () => participant.restart(FAULTS));
    await hold(FAULTY_MS);
    await timed(`${participant.name} stopped`, () => stopWithin(participant, GRACE_MS));
    await timed(`${participant.name} restarted clean`, () => participant.restart());
  },
};
