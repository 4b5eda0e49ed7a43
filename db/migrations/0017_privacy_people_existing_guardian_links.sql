-- Guardian links made before links needed a clinician's confirmation were set up by the operator
-- (npm run admin, the demo seed): they keep working, as confirmed when they were made.
UPDATE "guardian_links" SET "confirmed_at" = "created_at" WHERE "confirmed_at" IS NULL;
