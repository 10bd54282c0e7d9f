import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxNotifyTrigger } from '@app/database';

/** Every commit that queues events notifies the relays, which otherwise sleep (no sweep at rest). */
export class NotifySagaOutbox1765000000000 implements MigrationInterface {
  name = 'NotifySagaOutbox1765000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxNotifyTrigger('saga_outbox').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxNotifyTrigger('saga_outbox').down) await q.query(sql);
  }
}
