import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STORE_DATABASE } from '@app/event-store';
import type { CheckoutView } from '@app/projections';

/** PostgreSQL's "relation does not exist": the event store has not been migrated yet. */
const UNDEFINED_TABLE = '42P01';

/**
 * Reads the `checkout_view` read model (schema `event_store`, kept by the cqrs-projection worker)
 * on a small read-only pool of its own: the event store may live on another server than this app's
 * schema, so the two are never joined.
 */
@Injectable()
export class CheckoutViewReader implements OnApplicationShutdown {
  private readonly logger = new Logger(CheckoutViewReader.name);
  private readonly pool: pg.Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new pg.Pool({
      connectionString: EVENT_STORE_DATABASE.url(config),
      max: 4,
      application_name: 'checkout-views',
      options: `-c search_path=${EVENT_STORE_DATABASE.schema} -c default_transaction_read_only=on`,
    });
    this.pool.on('error', (error) => this.logger.warn(`Event store connection error: ${error.message}`));
  }

  /** The views of these checkouts that exist, by checkout id. */
  async viewsOf(checkoutIds: readonly string[]): Promise<Map<string, CheckoutView>> {
    if (checkoutIds.length === 0) return new Map();
    try {
      const { rows } = await this.pool.query<{ view: CheckoutView }>('SELECT view FROM checkout_view WHERE checkout_id = ANY($1)', [checkoutIds]);
      return new Map(rows.map((r) => [r.view.checkoutId, r.view]));
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return new Map();
      throw error;
    }
  }

  async viewOf(checkoutId: string): Promise<CheckoutView | undefined> {
    return (await this.viewsOf([checkoutId])).get(checkoutId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
