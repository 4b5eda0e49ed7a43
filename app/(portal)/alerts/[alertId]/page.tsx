import { notFound, redirect } from "next/navigation";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { findVisibleAlert } from "@/lib/monitoring/inbox";

/**
 * Where an alert notification's link lands (lib/monitoring/notification-message.ts): clinicians
 * go to the inbox filtered to the patient, where they acknowledge and resolve; patients and
 * guardians to the alerts on the patient's page. 404 for an alert the actor may not see.
 */
export default async function AlertLinkPage({ params }: PageProps<"/alerts/[alertId]">) {
  const { alertId } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(alertId)) notFound();
  const actor = await requireActor();
  if (!can(actor, "alert:read")) notFound();
  const alert = await findVisibleAlert(actor, Number(alertId));
  if (!alert) notFound();
  if (can(actor, "alert:handle")) redirect(`/clinician/alerts?status=all&patient=${alert.patient.id}`);
  redirect(`/patients/${alert.patient.id}#alerts-heading`);
}
