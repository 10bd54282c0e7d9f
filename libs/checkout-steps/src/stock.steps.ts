import { type AvailabilityReport, ErrorCode, type LineItem, type PricedLineItem, type Reservation } from '@app/contracts';
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
  const quoted = await quote(inventory, items);
  if (!quoted.ok) return quoted;
  const { shortages, items: priced, totalCents } = quoted.report;
  if (shortages.length > 0) {
    const list = shortages.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`).join(', ');
    return refused('stock', ErrorCode.InsufficientStock, `Insufficient stock for ${list}`, { shortages });
  }
  return { ok: true, items: priced, totalCents };
}

/**
 * The current prices of the lines and their total, whatever the stock: for a caller that lets the
 * reservation alone decide on stock. A worker that already holds the stock of a checkout (its
 * reservation went through, then the worker crashed) must not be refused by its own hold when the
 * event is delivered again. Refused with `INVENTORY.UNKNOWN_SKU`.
 */
export async function priceItems(inventory: Pick<InventoryClient, 'checkAvailability'>, items: readonly LineItem[]): Promise<StepOutcome<PricedItems>> {
  const quoted = await quote(inventory, items);
  return quoted.ok ? { ok: true, items: quoted.report.items, totalCents: quoted.report.totalCents } : quoted;
}

async function quote(inventory: Pick<InventoryClient, 'checkAvailability'>, items: readonly LineItem[]): Promise<StepOutcome<{ report: AvailabilityReport }>> {
  const quoted = await refusalAware('stock', async () => ({ report: await inventory.checkAvailability(items) }));
  if (!quoted.ok) return quoted;
  const { missing } = quoted.report;
  if (missing.length > 0) return refused('stock', ErrorCode.UnknownSku, `Unknown SKU: ${missing.join(', ')}`, { skus: missing });
  return quoted;
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
