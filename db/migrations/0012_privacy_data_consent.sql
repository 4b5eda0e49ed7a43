CREATE TYPE "public"."consent_decider" AS ENUM('patient', 'guardian');--> statement-breakpoint
CREATE TYPE "public"."consent_decision" AS ENUM('permit', 'deny');--> statement-breakpoint
CREATE TYPE "public"."consent_method" AS ENUM('portal');--> statement-breakpoint
CREATE TYPE "public"."consent_purpose" AS ENUM('hospital-sharing', 'research', 'product-analytics', 'marketing');--> statement-breakpoint
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
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consent_records_current_unique" ON "consent_records" USING btree ("patient_id","purpose") WHERE "consent_records"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "consent_records_patient_idx" ON "consent_records" USING btree ("patient_id","decided_at");