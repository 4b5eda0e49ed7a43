import { alertKindLabels, alertSeverityLabels } from "@/components/alert-labels";
import { actorOfSession, currentSessionId } from "@/lib/auth/session";
import { eventStreamResponse } from "@/lib/http/event-stream";
import { sessionApi } from "@/lib/http/api";
import { subscribeToAlerts } from "@/lib/monitoring/live";
import type { LiveAlertEvent } from "@/lib/monitoring/live-event";

export const dynamic = "force-dynamic";

/**
 * Server-sent events for the signed-in user's open inbox (docs/alerts.md): event `alert` with a
 * LiveAlertEvent for each new live alert of a patient they may see, and again (reason
 * `escalation`) when an urgent one goes unacknowledged too long; a comment every 15 seconds, and
 * the end of the stream once the session has ended.
 */
export const GET = sessionApi(async ({ request, caller }) => {
  const sessionId = await currentSessionId();
  // The session is checked again at every heartbeat: signing out (everywhere), a password change, an
  // account disabled or the idle limit end the stream within HEARTBEAT_MS, not when the tab closes.
  const sessionStillOpen = async () => sessionId !== null && (await actorOfSession(caller.userId, sessionId, caller.origin, new Date(), "no-activity")) !== null;
  return eventStreamResponse(
    request.signal,
    (sink) =>
      subscribeToAlerts(caller, (alert, reason) =>
        sink.send("alert", {
          reason,
          id: alert.id,
          patientId: alert.patient.id,
          patientName: `${alert.patient.familyName}, ${alert.patient.givenName}`,
          kind: alert.kind,
          kindLabel: alertKindLabels[alert.kind],
          severity: alert.severity,
          severityLabel: alertSeverityLabels[alert.severity],
          startedAt: alert.startedAt.toISOString(),
        } satisfies LiveAlertEvent),
      ),
    sessionStillOpen,
  );
});
