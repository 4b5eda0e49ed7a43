CREATE TYPE "public"."consent_decider" AS ENUM('patient', 'guardian');--> statement-breakpoint
CREATE TYPE "public"."consent_decision" AS ENUM('permit', 'deny');--> statement-breakpoint
CREATE TYPE "public"."consent_method" AS ENUM('portal');--> statement-breakpoint
CREATE TYPE "public"."consent_purpose" AS ENUM('hospital-sharing', 'research', 'product-analytics', 'marketing');--> statement-breakpoint
CREATE TYPE "public"."privacy_request_kind" AS ENUM('restriction', 'erasure');--> statement-breakpoint
CREATE TYPE "public"."privacy_request_status" AS ENUM('open', 'completed', 'refused');--> statement-breakpoint
CREATE TABLE "consent_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"purpose" "consent_purpose" NOT NULL,
	"decision" "consent_decision" NOT NULL,
	"policy_version" text NOT NULL,
	"method" "consent_method" NOT NULL,
	"decided_by_user_id" uuid NOT NULL,
	"decided_as" "consent_decider" NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"superseded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "privacy_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" "privacy_request_kind" NOT NULL,
	"details" text NOT NULL,
	"requested_by_user_id" uuid NOT NULL,
	"requested_as" "consent_decider" NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" "privacy_request_status" DEFAULT 'open' NOT NULL,
	"response" text,
	"care_records_exemption" boolean,
	"resolved_by_user_id" uuid,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consent_records_current_unique" ON "consent_records" USING btree ("patient_id","purpose") WHERE "consent_records"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "consent_records_patient_idx" ON "consent_records" USING btree ("patient_id","decided_at");--> statement-breakpoint
CREATE INDEX "privacy_requests_org_status_idx" ON "privacy_requests" USING btree ("organization_id","status","due_at");--> statement-breakpoint
CREATE INDEX "privacy_requests_patient_idx" ON "privacy_requests" USING btree ("patient_id");