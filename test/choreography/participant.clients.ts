import { InventoryClient, OrdersClient, PaymentsClient } from '@app/checkout-steps';
import { TEST_API_KEY, type Participants } from '@app/testing';

/**
 * The production clients of the participants, for a test to cause an effect itself (as a worker
 * that crashed before publishing would have, or a compensation that got there first).
 */
export function participantClients(participants: Participants) {
  const options = (baseUrl: string) => ({ baseUrl, apiKey: TEST_API_KEY, timeoutMs: 5_000, retries: 2 });
  const clients = {
    inventory: new InventoryClient(options(participants.inventory.url)),
    orders: new OrdersClient(options(participants.orders.url)),
    payments: new PaymentsClient(options(participants.payments.url)),
  };
  return { ...clients, close: () => Promise.all(Object.values(clients).map((client) => client.close())) };
}
