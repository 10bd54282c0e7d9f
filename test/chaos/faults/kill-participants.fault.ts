import { type Fault, staggered } from './fault.js';

/** A participant dies between receiving a call and answering it: callers retry, idempotently by checkout id. */
export const killParticipants: Fault = {
  name: 'kill-participants',
  description: 'SIGKILL of inventory, orders and payments in turn (300 ms apart) mid-saga, each restarted at once',
  async inject({ stack }) {
    await staggered(stack.participants, 300, async (participant) => {
      await participant.kill();
      await participant.restart();
    });
  },
};
