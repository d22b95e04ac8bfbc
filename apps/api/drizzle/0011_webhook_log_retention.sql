-- The cleanup job deletes finished deliveries (delivered or given up) past WEBHOOK_LOG_RETENTION,
-- oldest first in bounded batches: this index finds them without reading the pending ones or the whole log.
CREATE INDEX "webhook_deliveries_finished_idx" ON "webhook_deliveries" USING btree ("created_at") WHERE "webhook_deliveries"."status" <> 'pending';
