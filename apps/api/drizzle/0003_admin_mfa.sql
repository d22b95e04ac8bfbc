ALTER TABLE "mfa_challenges" ADD COLUMN "first_factor" text DEFAULT 'pwd' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "amr" text[] DEFAULT '{}'::text[] NOT NULL;