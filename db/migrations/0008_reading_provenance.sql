CREATE TYPE "public"."trend_direction" AS ENUM('DoubleUp', 'SingleUp', 'FortyFiveUp', 'Flat', 'FortyFiveDown', 'SingleDown', 'DoubleDown', 'NONE', 'NOT COMPUTABLE');--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "origin" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "duplicate_of_id" bigint;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "trend" "trend_direction";--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD COLUMN "noise" smallint;--> statement-breakpoint
ALTER TABLE "glucose_readings" ADD CONSTRAINT "glucose_readings_duplicate_of_id_glucose_readings_id_fk" FOREIGN KEY ("duplicate_of_id") REFERENCES "public"."glucose_readings"("id") ON DELETE no action ON UPDATE no action;