import { type Fault, crashAndRestart, staggered } from './fault.js';

/** A participant dies between receiving a call and answering it: callers retry, idempotently by checkout id. */
export const killParticipants: Fault = {
  name: 'kill-participants',
  description: 'SIGKILL of inventory, orders and payments in turn (300 ms apart) mid-saga, each restarted at once',
  inject: ({ stack }) => staggered(stack.participants, 300, crashAndRestart),
};
