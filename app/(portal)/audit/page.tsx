import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { AccessTable } from "@/components/access-table";
import { requireActor } from "@/lib/auth/session";
import { searchAuditTrail } from "@/lib/oversight/access-log";

export const metadata: Metadata = { title: "Audit trail" };

const actions = ["read", "search", "create", "update", "export", "disclose", "sign-in", "sign-out", "register", "pair", "grant", "revoke"];

/** Admins and privacy officers search the organization's audit trail (a GET form: filters stay in the address). */
export default async function AuditPage({ searchParams }: PageProps<"/audit">) {
  const actor = await requireActor();
  const raw = await searchParams;
  const filters = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  const rows = await orNotFound(searchAuditTrail(actor, filters));
  return (
    <>
      <h1>Audit trail</h1>
      <form method="get" className="panel stack" aria-label="Filters">
        <div className="field">
          <label htmlFor="actorEmail">Who (email)</label>
          <input id="actorEmail" name="actorEmail" type="email" defaultValue={filters.actorEmail} />
        </div>
        <div className="field">
          <label htmlFor="medicalRecordNumber">Patient record number</label>
          <input id="medicalRecordNumber" name="medicalRecordNumber" defaultValue={filters.medicalRecordNumber} />
        </div>
        <div className="field">
          <label htmlFor="action">Action</label>
          <select id="action" name="action" defaultValue={filters.action ?? ""}>
            <option value="">Any</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="from">From (day)</label>
          <input id="from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="to">To (day)</label>
          <input id="to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="breakGlassOnly" defaultChecked={filters.breakGlassOnly === "on"} /> Break-glass only
          </label>
        </div>
        <div>
          <button type="submit">Search</button>
        </div>
      </form>
      <AccessTable entries={rows} caption={`${rows.length} events, newest first (at most 200)`} extra />
    </>
  );
}
