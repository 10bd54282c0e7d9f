import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxNotifyTrigger } from '@app/database';

/** Every commit that queues compensation events notifies the relay, which otherwise sleeps (no sweep at rest). */
export class NotifyDeadlineOutbox1765000000002 implements MigrationInterface {
  name = 'NotifyDeadlineOutbox1765000000002';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxNotifyTrigger('deadline_outbox').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxNotifyTrigger('deadline_outbox').down) await q.query(sql);
  }
}
