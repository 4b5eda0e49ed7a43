import type { AccessEntry } from "@/lib/oversight/access-log";

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const actionWords: Record<string, string> = {
  read: "viewed",
  search: "listed or searched",
  create: "added",
  update: "changed",
  export: "exported",
  disclose: "sent to a hospital system",
  register: "registered",
  pair: "paired a device",
  grant: "granted access",
  revoke: "revoked access",
  "sign-in": "signed in",
  "sign-out": "signed out",
};

/** Audit events as people read them: who, their role, what they did to what, when, break-glass marked. */
export function AccessTable({ entries, caption, extra }: { entries: (AccessEntry & { recordNumbers?: string[] })[]; caption: string; extra?: boolean }) {
  if (entries.length === 0) return <p>Nothing on record yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Role</th>
            <th scope="col">What</th>
            {extra ? <th scope="col">Records</th> : null}
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td>{dateTime.format(entry.occurredAt)}</td>
              <td>
                {entry.who}
                {entry.breakGlass ? <strong className="badge"> Break-glass</strong> : null}
              </td>
              <td>{entry.role ?? entry.actorKind}</td>
              <td>
                {actionWords[entry.action] ?? entry.action} · {entry.resourceType}
              </td>
              {extra ? <td>{entry.recordNumbers?.join(", ") || "—"}</td> : null}
              <td>{entry.outcome === "success" ? "done" : entry.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
