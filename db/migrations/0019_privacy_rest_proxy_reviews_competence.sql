CREATE TABLE "care_team_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"age_years" integer NOT NULL,
	"due_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "competence_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"patient_id" uuid NOT NULL,
	"assessed_by_user_id" uuid NOT NULL,
	"competent" boolean NOT NULL,
	"note" text,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "guardian_links" ADD COLUMN "limited_by_patient_until" date;--> statement-breakpoint
ALTER TABLE "guardian_links" ADD COLUMN "ended_by_patient_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "care_team_tasks" ADD CONSTRAINT "care_team_tasks_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_tasks" ADD CONSTRAINT "care_team_tasks_completed_by_user_id_users_id_fk" FOREIGN KEY ("completed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competence_assessments" ADD CONSTRAINT "competence_assessments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "competence_assessments" ADD CONSTRAINT "competence_assessments_assessed_by_user_id_users_id_fk" FOREIGN KEY ("assessed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "care_team_tasks_once_per_birthday" ON "care_team_tasks" USING btree ("patient_id","kind","age_years");--> statement-breakpoint
CREATE INDEX "competence_assessments_patient_idx" ON "competence_assessments" USING btree ("patient_id","assessed_at");