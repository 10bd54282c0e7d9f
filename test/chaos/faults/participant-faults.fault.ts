import { type Fault, hold } from './fault.js';

const FAULTY_MS = 3_000;
/** Delays longer than PARTICIPANT_TIMEOUT_MS (1 s): the caller gives up while the call still takes effect, late. */
const FAULTS = { FAULT_ERROR_RATE: '0.2', FAULT_DELAY_RATE: '0.2', FAULT_DELAY_MS: '1500' };

/** The participants' own fault-injection setting: some calls fail with a 503 before any effect, some land after their caller timed out. */
export const participantFaults: Fault = {
  name: 'participant-faults',
  description: `inventory, orders and payments restarted with 20% errors and 20% of calls delayed 1.5 s for ${FAULTY_MS / 1_000} s, then restarted clean`,
  async inject({ stack }) {
    await Promise.all(
      stack.participants.map(async (participant) => {
        await participant.stop();
        await participant.restart(FAULTS);
      }),
    );
    await hold(FAULTY_MS);
    await Promise.all(
      stack.participants.map(async (participant) => {
        await participant.stop();
        await participant.restart();
      }),
    );
  },
};
