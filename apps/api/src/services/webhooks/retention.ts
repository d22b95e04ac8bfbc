import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Delivery-log retention (WEBHOOK_LOG_RETENTION, run by the cleanup job): finished deliveries
 * (`succeeded` or `failed`) created before the cut-off are deleted, oldest first, in batches of
 * DELETE_BATCH rows, each its own short transaction, so a large backlog never holds locks on the
 * log for long nor makes one huge transaction. Pending deliveries are never deleted, however old:
 * they are still owed to their receiver. Rows another instance holds (`skip locked`) wait for the
 * next round. A round stops after MAX_BATCHES; what is left goes in the next one.
 */

export const DELETE_BATCH = 1_000;
const MAX_BATCHES = 100;

export async function deleteOldDeliveries(db: Db, before: Date, batch = DELETE_BATCH): Promise<number> {
  let total = 0;
  for (let round = 0; round < MAX_BATCHES; round++) {
    // `webhook_deliveries_finished_idx` (created_at where status <> 'pending') finds them in order.
    const result = await db.execute(sql`
      delete from webhook_deliveries where id in (
        select id from webhook_deliveries
        where status <> 'pending' and created_at < ${before.toISOString()}::timestamptz
        order by created_at
        limit ${batch}
        for update skip locked)
      returning id`);
    const deleted = (result as unknown as { rows: unknown[] }).rows.length;
    total += deleted;
    if (deleted < batch) break;
  }
  return total;
}
