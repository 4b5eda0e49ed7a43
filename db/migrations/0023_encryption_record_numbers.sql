DROP INDEX "patients_org_mrn_unique";--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "medical_record_number_index" text;--> statement-breakpoint
CREATE UNIQUE INDEX "patients_org_mrn_index_unique" ON "patients" USING btree ("organization_id","medical_record_number_index") WHERE "patients"."medical_record_number_index" is not null;