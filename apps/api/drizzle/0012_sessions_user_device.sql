-- A sign-in asks whether the account had a session before, and one from this device (newDevice.ts):
-- on (user_id, device) both answers are one index probe, however many sessions the account had.
-- The new index serves every lookup by user_id as well, so the old one goes (made first, dropped after).
CREATE INDEX "sessions_user_device_idx" ON "sessions" USING btree ("user_id","device");
--> statement-breakpoint
DROP INDEX "sessions_user_id_idx";
