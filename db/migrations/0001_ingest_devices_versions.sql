CREATE TYPE "public"."censoring" AS ENUM('below', 'above');--> statement-breakpoint
CREATE TYPE "public"."meal_context" AS ENUM('fasting', 'before-meal', 'after-meal', 'bedtime');--> statement-breakpoint
CREATE TYPE "public"."device_kind" AS ENUM('fingerstick-meter', 'cgm');--> statement-breakpoint
CREATE TABLE "glucose_reading_versions" (
	"reading_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"value_as_received" numeric(8, 3) NOT NULL,
	"unit" "glucose_unit" NOT NULL,
	"value_mgdl" numeric(8, 3) NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"utc_offset_minutes" smallint NOT NULL,
	"meal_context" "meal_context",
	"note" text,
	"recorded_by_user_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	"superseded_by_user_id" uuid,
	"superseded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "glucose_reading_versions_reading_id_version_pk" PRIMARY KEY("reading_id","version")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" "device_kind" NOT NULL,
	"model" text NOT NULL,
	"serial_number" text NOT NULL,
	"firmware_version" text,
	"battery_percent" smallint,
	"last_contact_at" timestamp with time zone,
	"token_hash" text,
	"token_issued_at" timestamp with time zone,
	"pairing_code_hash" text,
	"pairing_code_expires_at" timestamp with time zone,
	"registered_by_user_id" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploader_credentials" (
	"patient_id" uuid PRIMARY KEY NOT NULL,
	"api_secret_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "censored" "censoring";--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "meal_context" "meal_context";--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "corrected_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "glucose_reading_versions" ADD CONSTRAINT "glucose_reading_versions_reading_id_glucose_readings_id_fk" FOREIGN KEY ("reading_id") REFERENCES "public"."glucose_readings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "glucose_reading_versions" ADD CONSTRAINT "glucose_reading_versions_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "glucose_reading_versions" ADD CONSTRAINT "glucose_reading_versions_superseded_by_user_id_users_id_fk" FOREIGN KEY ("superseded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_registered_by_user_id_users_id_fk" FOREIGN KEY ("registered_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploader_credentials" ADD CONSTRAINT "uploader_credentials_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploader_credentials" ADD CONSTRAINT "uploader_credentials_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_token_hash_unique" ON "devices" USING btree ("token_hash") WHERE "devices"."token_hash" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_pairing_code_hash_unique" ON "devices" USING btree ("pairing_code_hash") WHERE "devices"."pairing_code_hash" is not null;--> statement-breakpoint
CREATE INDEX "devices_patient_idx" ON "devices" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uploader_credentials_secret_unique" ON "uploader_credentials" USING btree ("api_secret_hash");--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD CONSTRAINT "glucose_readings_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD CONSTRAINT "glucose_readings_corrected_by_user_id_users_id_fk" FOREIGN KEY ("corrected_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "glucose_readings_dedupe_unique" ON "glucose_readings" USING btree ("patient_id","dedupe_key") WHERE "glucose_readings"."dedupe_key" is not null;