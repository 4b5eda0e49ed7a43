import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Database } from "@/db/client";
import { internalOrigin, type SystemActor } from "@/lib/access/actor";
import { recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { ALERTS_CHANNEL } from "./live-channel";

/**
 * Escalation (docs/alert-notifications.md): an urgent alert nobody acknowledged within
 * LANTERN_ESCALATION_MINUTES of its opening is escalated once, to every enabled channel of the
 * patient's organization and by email to every active clinician of the patient's care teams.
 *
 * One statement marks the alerts (`escalated_at is null` in its WHERE) and queues the messages:
 * when two server processes run it at once, the second waits for the first's row locks, finds
 * `escalated_at` set and skips the row, so each alert escalates exactly once. Open inboxes hear
 * of it on the live channel (NOTIFY, delivered at commit), as of a new alert.
 */
export async function escalateOverdueAlerts(now = new Date(), db: Database = getDb()): Promise<number> {
  const minutes = environment().LANTERN_ESCALATION_MINUTES;
  // A raw statement: times go as ISO text (postgres.js binds no Date there).
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const escalated = rowsOf<{ id: number | string; patient_id: string; organization_id: string }>(
      await tx.execute(sql`
        with escalated as (
          update alerts set escalated_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
          where severity = 'urgent' and status = 'open' and escalated_at is null and not historical
            and merged_into_id is null and withdrawn_at is null
            and created_at <= ${at}::timestamptz - make_interval(mins => ${minutes})
          returning alerts.id, alerts.patient_id
        ),
        to_channels as (
          insert into notification_outbox (alert_id, channel_id, reason)
          select escalated.id, channel.id, 'escalation'
          from escalated
          join patients patient on patient.id = escalated.patient_id
          join notification_channels channel on channel.organization_id = patient.organization_id and channel.enabled
        ),
        to_clinicians as (
          insert into notification_outbox (alert_id, recipient_user_id, reason)
          select distinct escalated.id, clinician.id, 'escalation'
          from escalated
          join care_team_patients team_patient on team_patient.patient_id = escalated.patient_id
          join care_team_members member on member.care_team_id = team_patient.care_team_id
          join users clinician on clinician.id = member.clinician_user_id and clinician.role = 'clinician' and clinician.disabled_at is null
        )
        -- Data-modifying CTEs run to completion whether or not this query reads them.
        select escalated.id, escalated.patient_id, patient.organization_id
        from escalated join patients patient on patient.id = escalated.patient_id`),
    );
    // The escalation is on record with the alert and its patient (the deliveries are, each, a disclosure).
    for (const alert of escalated) {
      const job: SystemActor = { kind: "system", job: "alert-monitor", organizationId: alert.organization_id, origin: internalOrigin() };
      await recordAudit(tx, job, { action: "update", resourceType: "Flag", resourceId: String(alert.id), patientIds: [alert.patient_id], purpose: "care", outcome: "success" });
      await tx.execute(sql`select pg_notify(${ALERTS_CHANNEL}, ${JSON.stringify({ alertId: Number(alert.id), patientId: alert.patient_id, reason: "escalation" })})`);
    }
    return escalated.length;
  });
}
