ALTER TABLE "bulk_export_jobs" ADD COLUMN "lease_holder" text;--> statement-breakpoint
ALTER TABLE "bulk_export_jobs" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "bulk_export_jobs_lease_idx" ON "bulk_export_jobs" USING btree ("lease_expires_at") WHERE "bulk_export_jobs"."status" = 'in-progress';