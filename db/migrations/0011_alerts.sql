CREATE TYPE "public"."alert_kind" AS ENUM('hypo-level-2', 'hypo-extended', 'hypo-level-1', 'rapid-fall', 'hyper-level-2', 'hyper-level-1', 'no-data');--> statement-breakpoint
CREATE TYPE "public"."alert_severity" AS ENUM('urgent', 'high', 'moderate', 'low');--> statement-breakpoint
CREATE TYPE "public"."alert_status" AS ENUM('open', 'acknowledged', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."channel_kind" AS ENUM('webhook', 'email');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('pending', 'delivered', 'dead');--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"patient_id" uuid NOT NULL,
	"kind" "alert_kind" NOT NULL,
	"severity" "alert_severity" NOT NULL,
	"specimen" "specimen",
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"worst_mgdl" numeric(8, 3),
	"worst_censored" "censoring",
	"worst_at" timestamp with time zone,
	"last_beyond_at" timestamp with time zone,
	"readings_beyond" integer DEFAULT 0 NOT NULL,
	"duration_minutes" numeric(10, 2) DEFAULT 0 NOT NULL,
	"targets" jsonb NOT NULL,
	"historical" boolean DEFAULT false NOT NULL,
	"status" "alert_status" DEFAULT 'open' NOT NULL,
	"acknowledged_by_user_id" uuid,
	"acknowledged_at" timestamp with time zone,
	"acknowledgement_note" text,
	"resolved_by_user_id" uuid,
	"resolved_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"merged_into_id" bigint,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" "channel_kind" NOT NULL,
	"name" text NOT NULL,
	"target" text NOT NULL,
	"signing_secret" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notification_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alert_id" bigint NOT NULL,
	"channel_id" uuid,
	"recipient_user_id" uuid,
	"reason" text NOT NULL,
	"status" "notification_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "patient_feeds" (
	"patient_id" uuid NOT NULL,
	"specimen" "specimen" NOT NULL,
	"first_reading_at" timestamp with time zone NOT NULL,
	"last_reading_at" timestamp with time zone NOT NULL,
	"last_value_mgdl" numeric(8, 3) NOT NULL,
	"last_censored" "censoring",
	CONSTRAINT "patient_feeds_patient_id_specimen_pk" PRIMARY KEY("patient_id","specimen")
);
--> statement-breakpoint
CREATE TABLE "patient_targets" (
	"patient_id" uuid PRIMARY KEY NOT NULL,
	"preset" text NOT NULL,
	"hypo_level_1" smallint NOT NULL,
	"hypo_level_2" smallint NOT NULL,
	"hyper_level_1" smallint NOT NULL,
	"hyper_level_2" smallint NOT NULL,
	"cgm_interval_minutes" smallint DEFAULT 5 NOT NULL,
	"reason" text NOT NULL,
	"set_by_user_id" uuid,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_user_id_users_id_fk" FOREIGN KEY ("acknowledged_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_merged_into_id_alerts_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_channel_id_notification_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."notification_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_feeds" ADD CONSTRAINT "patient_feeds_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_targets" ADD CONSTRAINT "patient_targets_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_targets" ADD CONSTRAINT "patient_targets_set_by_user_id_users_id_fk" FOREIGN KEY ("set_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_patient_started_idx" ON "alerts" USING btree ("patient_id","started_at");--> statement-breakpoint
CREATE INDEX "alerts_open_idx" ON "alerts" USING btree ("status","severity") WHERE "alerts"."status" <> 'resolved' and "alerts"."merged_into_id" is null and "alerts"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "notification_outbox_due_idx" ON "notification_outbox" USING btree ("next_attempt_at") WHERE "notification_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "patient_feeds_last_idx" ON "patient_feeds" USING btree ("specimen","last_reading_at");