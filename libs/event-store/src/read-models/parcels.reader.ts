import type { EntityManager } from 'typeorm';
import type { ParcelView } from '@app/projections';

type Queryable = Pick<EntityManager, 'query'>;

/** One page of a client's parcels, newest first, and the client's version when it was read. */
export interface ParcelPage {
  clientId: string;
  items: ParcelView[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
  /**
   * The sum of the versions of all the client's parcels (kept in `parcel_client_versions`), read in
   * the same statement as the page: it grows with every event projected for the client, so a cached
   * page can tell it is older.
   */
  version: number;
}

/** Where a page starts: after this parcel, in (registeredAt, parcelId) descending order. */
export const PARCEL_CURSOR = /^\d{1,15}\.[\w.:-]{1,100}$/;

const cursorOf = (view: ParcelView): string => `${Date.parse(view.registeredAt)}.${view.parcelId}`;

function parseCursor(cursor: string | undefined): [Date | null, string | null] {
  if (cursor === undefined) return [null, null];
  const dot = cursor.indexOf('.');
  return [new Date(Number(cursor.slice(0, dot))), cursor.slice(dot + 1)];
}

/** A parcel from the read model, or undefined. */
export async function parcelById(db: Queryable, parcelId: string): Promise<ParcelView | undefined> {
  const [row] = await db.query<{ view: ParcelView }[]>('SELECT view FROM parcel_view WHERE parcel_id = $1', [parcelId]);
  return row?.view;
}

/** A page of a client's parcels (`limit` of them at most, after `cursor`), with the client's version, from one snapshot. */
export async function parcelsOfClient(db: Queryable, clientId: string, { limit, cursor }: { limit: number; cursor?: string }): Promise<ParcelPage> {
  const [after, afterId] = parseCursor(cursor);
  const [row] = await db.query<{ version: string; items: ParcelView[] }[]>(
    `SELECT coalesce((SELECT version FROM parcel_client_versions WHERE client_id = $1), 0) AS version,
            coalesce((SELECT json_agg(p.view ORDER BY p.registered_at DESC, p.parcel_id DESC) FROM (
              SELECT view, registered_at, parcel_id FROM parcel_view
              WHERE client_id = $1 AND ($2::timestamptz IS NULL OR (registered_at, parcel_id) < ($2, $3))
              ORDER BY registered_at DESC, parcel_id DESC LIMIT $4) p), '[]') AS items`,
    [clientId, after, afterId, limit + 1],
  );
  const items = row?.items ?? [];
  const page = items.slice(0, limit);
  const last = page.at(-1);
  return { clientId, items: page, version: Number(row?.version ?? 0), ...(items.length > limit && last !== undefined && { nextCursor: cursorOf(last) }) };
}

/** What a projector tells the cache after a commit: each parcel's version, and its client's. */
export interface ParcelVersion {
  parcelId: string;
  clientId: string;
  version: number;
  clientVersion: number;
}

/** The current versions of the given parcels and of their clients, read after the projection committed. */
export async function parcelVersions(db: Queryable, parcelIds: readonly string[]): Promise<ParcelVersion[]> {
  if (parcelIds.length === 0) return [];
  const rows = await db.query<{ parcel_id: string; client_id: string; version: number; client_version: string }[]>(
    `SELECT p.parcel_id, p.client_id, p.version, (SELECT c.version FROM parcel_client_versions c WHERE c.client_id = p.client_id) AS client_version
     FROM parcel_view p WHERE p.parcel_id = ANY($1)`,
    [parcelIds],
  );
  return rows.map((r) => ({ parcelId: r.parcel_id, clientId: r.client_id, version: r.version, clientVersion: Number(r.client_version) }));
}
