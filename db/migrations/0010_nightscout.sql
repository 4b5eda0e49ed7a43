CREATE TYPE "public"."uploader_access" AS ENUM('read-write', 'read');--> statement-breakpoint
CREATE TABLE "device_statuses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "device_statuses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"patient_id" uuid NOT NULL,
	"identifier" text NOT NULL,
	"app" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"utc_offset_minutes" smallint NOT NULL,
	"uploader_battery" smallint,
	"uploader_charging" boolean,
	"pump" jsonb,
	"loop" jsonb,
	"srv_created" timestamp with time zone DEFAULT now() NOT NULL,
	"srv_modified" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nightscout_access_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"name" text NOT NULL,
	"access" "uploader_access" NOT NULL,
	"token_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "treatments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "treatments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"patient_id" uuid NOT NULL,
	"identifier" text NOT NULL,
	"origin" text NOT NULL,
	"app" text NOT NULL,
	"event_type" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"utc_offset_minutes" smallint NOT NULL,
	"carbs_grams" numeric(7, 2),
	"insulin_units" numeric(7, 3),
	"insulin_kind" text,
	"duration_minutes" numeric(9, 2),
	"basal_rate" numeric(7, 3),
	"notes" text,
	"entered_by" text,
	"is_valid" boolean DEFAULT true NOT NULL,
	"srv_created" timestamp with time zone DEFAULT now() NOT NULL,
	"srv_modified" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upload_problems" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "upload_problems_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"patient_id" uuid NOT NULL,
	"app" text NOT NULL,
	"reason" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploader_origins" (
	"patient_id" uuid NOT NULL,
	"origin" text NOT NULL,
	"device" text NOT NULL,
	CONSTRAINT "uploader_origins_patient_id_origin_pk" PRIMARY KEY("patient_id","origin")
);
--> statement-breakpoint
ALTER TABLE "device_statuses" ADD CONSTRAINT "device_statuses_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nightscout_access_tokens" ADD CONSTRAINT "nightscout_access_tokens_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nightscout_access_tokens" ADD CONSTRAINT "nightscout_access_tokens_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatments" ADD CONSTRAINT "treatments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_problems" ADD CONSTRAINT "upload_problems_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploader_origins" ADD CONSTRAINT "uploader_origins_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "device_statuses_identifier_unique" ON "device_statuses" USING btree ("patient_id","identifier");--> statement-breakpoint
CREATE INDEX "device_statuses_patient_app_time_idx" ON "device_statuses" USING btree ("patient_id","app","reported_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "device_statuses_patient_modified_idx" ON "device_statuses" USING btree ("patient_id","srv_modified");--> statement-breakpoint
CREATE UNIQUE INDEX "nightscout_access_tokens_hash_unique" ON "nightscout_access_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "nightscout_access_tokens_patient_idx" ON "nightscout_access_tokens" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "treatments_identifier_unique" ON "treatments" USING btree ("patient_id","identifier");--> statement-breakpoint
CREATE INDEX "treatments_patient_time_idx" ON "treatments" USING btree ("patient_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "treatments_patient_modified_idx" ON "treatments" USING btree ("patient_id","srv_modified");--> statement-breakpoint
CREATE UNIQUE INDEX "upload_problems_unique" ON "upload_problems" USING btree ("patient_id","app","reason");--> statement-breakpoint
CREATE INDEX "upload_problems_patient_seen_idx" ON "upload_problems" USING btree ("patient_id","last_seen_at" DESC NULLS LAST);