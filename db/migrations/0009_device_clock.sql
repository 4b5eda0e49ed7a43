ALTER TABLE "devices" ADD COLUMN "clock_problem" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "clock_problem_at" timestamp with time zone;