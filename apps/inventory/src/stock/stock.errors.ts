import { ConflictError, type DomainError, ErrorCode, NotFoundError, type StockShortage } from '@app/contracts';

export const unknownSkus = (skus: string[]): NotFoundError => new NotFoundError(ErrorCode.UnknownSku, `Unknown SKU: ${skus.join(', ')}`, { skus });

export const insufficientStock = (shortages: StockShortage[]): ConflictError =>
  new ConflictError(
    ErrorCode.InsufficientStock,
    `Insufficient stock for ${shortages.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`).join(', ')}`,
    { shortages },
  );

export const reservationNotFound = (checkoutId: string): NotFoundError =>
  new NotFoundError(ErrorCode.ReservationNotFound, `No reservation for checkout ${checkoutId}`);

/** A refused reservation as it is stored: `INVENTORY.UNKNOWN_SKU` with `skus`, or `INVENTORY.INSUFFICIENT_STOCK` with `shortages`. */
export interface StockRefusal {
  code: string;
  details: { skus?: string[]; shortages?: StockShortage[] };
}

/** The answer to a refused reservation, the first time and every time it is repeated. */
export const refusalOf = ({ code, details }: StockRefusal): DomainError =>
  code === ErrorCode.UnknownSku
    ? unknownSkus(details.skus ?? [])
    : // jsonb keeps an object's keys in an order of its own; answer them in the order of a StockShortage.
      insufficientStock((details.shortages ?? []).map(({ sku, requested, available }) => ({ sku, requested, available })));
