CREATE TABLE "glucose_daily_aggregates" (
	"patient_id" uuid NOT NULL,
	"specimen" "specimen" NOT NULL,
	"local_date" date NOT NULL,
	"readings" integer NOT NULL,
	"very_low" integer NOT NULL,
	"low" integer NOT NULL,
	"in_range" integer NOT NULL,
	"high" integer NOT NULL,
	"very_high" integer NOT NULL,
	"sum_mgdl" numeric NOT NULL,
	"sum_squares_mgdl" numeric NOT NULL,
	"min_mgdl" numeric(8, 3) NOT NULL,
	"max_mgdl" numeric(8, 3) NOT NULL,
	CONSTRAINT "glucose_daily_aggregates_patient_id_specimen_local_date_pk" PRIMARY KEY("patient_id","specimen","local_date")
);
--> statement-breakpoint
ALTER TABLE "glucose_daily_aggregates" ADD CONSTRAINT "glucose_daily_aggregates_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;