CREATE TYPE "public"."audit_actor_kind" AS ENUM('user', 'device', 'uploader', 'backend-client', 'system', 'anonymous');--> statement-breakpoint
CREATE TYPE "public"."audit_outcome" AS ENUM('success', 'denied', 'failure');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" "audit_actor_kind" NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"organization_id" uuid,
	"patient_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"purpose" text DEFAULT 'care' NOT NULL,
	"outcome" "audit_outcome" NOT NULL,
	"source_address" text,
	"request_id" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_events_patients_idx" ON "audit_events" USING gin ("patient_ids");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_kind","actor_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_org_time_idx" ON "audit_events" USING btree ("organization_id","occurred_at");--> statement-breakpoint
-- The canonical text of an audit row: a JSON array of its fields as text, in a fixed order. The
-- verifier (lib/audit/chain.ts) rebuilds exactly this text from the stored fields.
CREATE FUNCTION audit_event_canonical(e audit_events) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT json_build_array(
    e.seq::text,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_kind::text, e.actor_id, e.actor_role, e.organization_id::text,
    array_to_string(e.patient_ids, ','),
    e.action, e.resource_type, e.resource_id, e.purpose, e.outcome::text,
    e.source_address, e.request_id
  )::text
$$;
--> statement-breakpoint
-- Numbers each new row after the last one and chains it to it. The transaction-scoped advisory
-- lock makes rows take their place in commit order, so a rolled-back insert leaves no gap and no
-- row ever points at one that was never committed.
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_row record;
BEGIN
  PERFORM pg_advisory_xact_lock(7300142857);
  SELECT seq, hash INTO last_row FROM audit_events ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_row.seq, 0) + 1;
  NEW.occurred_at := coalesce(NEW.occurred_at, now());
  NEW.prev_hash := coalesce(last_row.hash, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || audit_event_canonical(NEW), 'UTF8')), 'hex');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
