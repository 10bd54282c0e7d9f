import { ConflictError, ErrorCode, NotFoundError, type StockShortage } from '@app/contracts';

export const unknownSkus = (skus: string[]): NotFoundError =>
  new NotFoundError(ErrorCode.UnknownSku, `Unknown SKU: ${skus.join(', ')}`, { skus });

export const insufficientStock = (shortages: StockShortage[]): ConflictError =>
  new ConflictError(
    ErrorCode.InsufficientStock,
    `Insufficient stock for ${shortages.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`).join(', ')}`,
    { shortages },
  );

export const reservationNotFound = (checkoutId: string): NotFoundError =>
  new NotFoundError(ErrorCode.ReservationNotFound, `No reservation for checkout ${checkoutId}`);
