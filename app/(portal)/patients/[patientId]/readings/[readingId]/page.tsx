import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { getVisiblePatient } from "@/lib/patients/queries";
import { formatOffset } from "@/lib/time/offsets";
import { formatAtOffset } from "@/lib/time/zones";
import { listReadingVersions } from "@/lib/readings/manual-entry";
import { mealContextLabels } from "@/lib/readings/manual-entry-schema";
import { getReading } from "@/lib/readings/queries";
import { correctReadingAction } from "../../actions";
import { ReadingForm } from "../../reading-form";

export const metadata: Metadata = { title: "Correct a reading" };

export default async function CorrectReadingPage({ params }: PageProps<"/patients/[patientId]/readings/[readingId]">) {
  const { patientId, readingId: readingIdText } = await params;
  const readingId = Number(readingIdText);
  if (!Number.isSafeInteger(readingId) || readingId < 1) notFound();
  const actor = await requireActor();
  const patient = await orNotFound(getVisiblePatient(actor, patientId));
  const reading = await orNotFound(getReading(actor, patient.id, readingId));
  if (reading.source !== "manual") notFound();
  const history = await orNotFound(listReadingVersions(actor, patient.id, readingId));
  const localTime = formatAtOffset(reading.effectiveAt, reading.utcOffsetMinutes).replace(" ", "T");

  return (
    <>
      <section className="panel" aria-labelledby="correct-heading">
        <h2 id="correct-heading">Correct the reading of {localTime.replace("T", " ")}</h2>
        <p className="meta">A correction is saved as a new version; the earlier one is kept with who entered it and when.</p>
        <ReadingForm
          action={correctReadingAction.bind(null, patient.id, readingId)}
          defaults={{ value: String(reading.valueAsReceived), unit: reading.unit, takenAt: localTime, mealContext: reading.mealContext ?? "", note: reading.note ?? "" }}
          timezone={patient.timezone}
          submitLabel="Save correction"
        />
      </section>
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">Earlier versions</h2>
        {history.length === 0 ? (
          <p>This reading has not been corrected.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Value</th>
                  <th scope="col">Taken at</th>
                  <th scope="col">Meal</th>
                  <th scope="col">Note</th>
                  <th scope="col">Recorded by</th>
                  <th scope="col">Recorded at (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {history.map((version) => (
                  <tr key={version.version}>
                    <td>{version.version}</td>
                    <td>
                      {version.valueAsReceived} {version.unit}
                    </td>
                    <td>
                      {formatAtOffset(version.effectiveAt, version.utcOffsetMinutes)} UTC{formatOffset(version.utcOffsetMinutes)}
                    </td>
                    <td>{version.mealContext ? mealContextLabels[version.mealContext] : "—"}</td>
                    <td>{version.note ?? ""}</td>
                    <td>{version.recordedBy ?? "—"}</td>
                    <td>{formatAtOffset(version.recordedAt, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
