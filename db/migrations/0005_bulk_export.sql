CREATE TYPE "public"."bulk_export_status" AS ENUM('in-progress', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "bulk_export_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"resource_type" text NOT NULL,
	"sequence" integer NOT NULL,
	"resource_count" integer NOT NULL,
	"ndjson" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bulk_export_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"care_team_id" uuid,
	"request_url" text NOT NULL,
	"resource_types" text[] NOT NULL,
	"since" timestamp with time zone,
	"status" "bulk_export_status" DEFAULT 'in-progress' NOT NULL,
	"progress" text,
	"error" text,
	"transaction_time" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bulk_export_files" ADD CONSTRAINT "bulk_export_files_job_id_bulk_export_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."bulk_export_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_export_jobs" ADD CONSTRAINT "bulk_export_jobs_client_id_backend_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."backend_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_export_jobs" ADD CONSTRAINT "bulk_export_jobs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_export_jobs" ADD CONSTRAINT "bulk_export_jobs_care_team_id_care_teams_id_fk" FOREIGN KEY ("care_team_id") REFERENCES "public"."care_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_export_files_job_idx" ON "bulk_export_files" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "bulk_export_jobs_client_idx" ON "bulk_export_jobs" USING btree ("client_id");