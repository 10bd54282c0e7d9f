import { ErrorCode, type LineItem, type PricedLineItem, type Reservation } from '@app/contracts';
import type { InventoryClient } from './inventory.client.js';
import { type StepOutcome, refusalAware, refused } from './step-outcome.js';

/** The priced lines of a checkout and their total, as the inventory quotes them now. */
export interface PricedItems {
  items: PricedLineItem[];
  totalCents: number;
}

/**
 * Step 1: every SKU is known and in stock, at these prices. Reads only; the reservation decides
 * for real. Refused with `INVENTORY.UNKNOWN_SKU` or `INVENTORY.INSUFFICIENT_STOCK`.
 */
export async function checkAvailability(inventory: Pick<InventoryClient, 'checkAvailability'>, items: readonly LineItem[]): Promise<StepOutcome<PricedItems>> {
  const checked = await refusalAware('stock', async () => ({ report: await inventory.checkAvailability(items) }));
  if (!checked.ok) return checked;
  const { missing, shortages, items: priced, totalCents } = checked.report;
  if (missing.length > 0) return refused('stock', ErrorCode.UnknownSku, `Unknown SKU: ${missing.join(', ')}`, { skus: missing });
  if (shortages.length > 0) {
    const list = shortages.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`).join(', ');
    return refused('stock', ErrorCode.InsufficientStock, `Insufficient stock for ${list}`, { shortages });
  }
  return { ok: true, items: priced, totalCents };
}

/**
 * Step 2: holds every item for the checkout, or none. Refused with `INVENTORY.UNKNOWN_SKU`,
 * `INVENTORY.INSUFFICIENT_STOCK` or `INVENTORY.RESERVATION_RELEASED`.
 */
export function reserveStock(
  inventory: Pick<InventoryClient, 'reserve'>,
  checkoutId: string,
  items: readonly LineItem[],
): Promise<StepOutcome<{ reservation: Reservation }>> {
  return refusalAware('stock', async () => ({ reservation: await inventory.reserve(checkoutId, items) }));
}

/**
 * Compensation of step 2 (and of a finished sale): the checkout's units go back to stock. Safe
 * before the reservation exists (a tombstone then refuses the late reserve) and when repeated.
 */
export function releaseStock(inventory: Pick<InventoryClient, 'release'>, checkoutId: string): Promise<Reservation> {
  return inventory.release(checkoutId);
}
