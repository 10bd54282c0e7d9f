import type { DataSource } from 'typeorm';
import type { OrdersByClientView } from '@app/projections';

/**
 * A client's orders that count (succeeded, not cancelled since) and the latest of them by the time
 * it succeeded, from the orders-by-client read model; undefined when none counts.
 */
export async function ordersOfClient(db: DataSource, clientId: string): Promise<OrdersByClientView | undefined> {
  const [row] = await db.query<{ total: string; order_id: string; checkout_id: string; succeeded: string }[]>(
    `SELECT count(*) OVER () AS total, view->>'orderId' AS order_id, checkout_id, view->>'succeededAt' AS succeeded
     FROM client_orders WHERE client_id = $1 AND counted
     ORDER BY succeeded_at DESC, checkout_id DESC LIMIT 1`,
    [clientId],
  );
  if (row === undefined) return undefined;
  return { clientId, totalOrders: Number(row.total), lastOrderId: row.order_id, lastCheckoutId: row.checkout_id, lastUpdateTs: row.succeeded };
}
