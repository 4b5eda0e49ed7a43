import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { recordOfProcessing } from "@/lib/privacy/record-of-processing";

export const metadata: Metadata = { title: "Record of processing" };

/** GDPR Art 30, rendered from the data map the schema test keeps complete (lib/privacy/data-map.ts). */
export default async function RecordOfProcessingPage() {
  const actor = await requireActor();
  const record = await orNotFound(Promise.resolve().then(() => recordOfProcessing(actor)));
  const purposeTitle = (id: string) =>
    record.purposes.find((purpose) => purpose.id === id)?.title ?? record.operationalPurposes[id as keyof typeof record.operationalPurposes] ?? id;
  return (
    <>
      <h1>Record of processing</h1>
      <section className="panel" aria-labelledby="purposes-heading">
        <h2 id="purposes-heading">Purposes and lawful bases</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Purpose</th>
                <th scope="col">Lawful basis</th>
                <th scope="col">Default</th>
              </tr>
            </thead>
            <tbody>
              {record.purposes.map((purpose) => (
                <tr key={purpose.id}>
                  <td>{purpose.title}</td>
                  <td>{purpose.lawfulBasis}</td>
                  <td>{purpose.decidable ? (purpose.onByDefault ? "On; the patient may object" : "Off until consent") : "Not consent-based"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="processors-heading">
        <h2 id="processors-heading">Processors and regions</h2>
        <ul>
          {record.processors.map((processor) => (
            <li key={processor.name}>
              <strong>{processor.name}</strong>: {processor.role}. Region: {processor.region}.
            </li>
          ))}
        </ul>
        <p>Outbound destinations allowed by this deployment (LANTERN_OUTBOUND_ALLOWLIST); anything else is refused:</p>
        <ul>
          {record.outboundAllowlist.map((entry) => (
            <li key={entry.pattern}>
              {entry.pattern}: {entry.region}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="tables-heading">
        <h2 id="tables-heading">Data held, table by table</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Table</th>
                <th scope="col">What</th>
                <th scope="col">Purpose</th>
                <th scope="col">Lawful basis</th>
                <th scope="col">Categories (columns)</th>
                <th scope="col">Retention</th>
                <th scope="col">Recipients</th>
              </tr>
            </thead>
            <tbody>
              {record.tables.map(([table, entry]) => {
                const byCategory = new Map<string, string[]>();
                for (const [column, category] of Object.entries(entry.columns)) byCategory.set(category, [...(byCategory.get(category) ?? []), column]);
                return (
                  <tr key={table}>
                    <th scope="row">{table}</th>
                    <td>{entry.description}</td>
                    <td>{purposeTitle(entry.purpose)}</td>
                    <td>{entry.lawfulBasis}</td>
                    <td>
                      {[...byCategory].map(([category, columns]) => (
                        <div key={category}>
                          {record.dataCategories[category as keyof typeof record.dataCategories]}: {columns.join(", ")}
                        </div>
                      ))}
                      {entry.encryptedAtRest?.length ? <div>Encrypted at rest: {entry.encryptedAtRest.join(", ")}</div> : null}
                    </td>
                    <td>{record.retentionRules[entry.retention]}</td>
                    <td>{entry.recipients.join("; ") || "Nobody outside Lantern"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
