import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { getVisiblePatient } from "@/lib/patients/queries";
import { formatOffset } from "@/lib/time/offsets";
import { formatAtOffset, nowInZone } from "@/lib/time/zones";
import { mealContextLabels } from "@/lib/readings/manual-entry-schema";
import { listRecentReadings, type ReadingRow } from "@/lib/readings/queries";
import { formatGlucose } from "@/lib/readings/units";
import { listPatientTreatments } from "@/lib/uploader/treatments-store";
import { TrendArrow } from "@/components/trend-arrow";
import { addReadingAction } from "./actions";
import { GlucoseChart } from "./glucose-chart";
import { ReadingForm } from "./reading-form";
import { TreatmentsTable } from "./treatments-table";

export const metadata: Metadata = { title: "Patient" };

const CHART_DAYS = 3;
const sourceLabels = { manual: "Entered by hand", device: "Connected meter", file: "File upload", uploader: "Uploader app", fhir: "Hospital system" } as const;

function displayValue(reading: ReadingRow, unit: "mg/dL" | "mmol/L"): string {
  const value = formatGlucose(reading.valueMgdl, unit);
  return reading.censored === "below" ? `below ${value} (LO)` : reading.censored === "above" ? `above ${value} (HI)` : value;
}

export default async function PatientPage({ params }: PageProps<"/patients/[patientId]">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const patient = await orNotFound(getVisiblePatient(actor, patientId));
  const name = `${patient.givenName} ${patient.familyName}`;
  const unit = patient.preferredUnit;
  const mayReadReadings = can(actor, "reading:search");
  const mayCorrect = can(actor, "reading:correct");
  const mayReadTreatments = can(actor, "treatment:search");

  const [recent, charted] = mayReadReadings
    ? await Promise.all([
        listRecentReadings(actor, patient.id, { limit: 50 }),
        listRecentReadings(actor, patient.id, { lastDays: CHART_DAYS, limit: CHART_DAYS * 24 * 12 * 2 }),
      ])
    : [[], []];
  const treatments = mayReadTreatments ? await listPatientTreatments(actor, patient.id, { limit: 50 }) : [];
  const points = charted.toReversed().map((r) => ({ time: r.effectiveAt.getTime(), value: Number(formatGlucose(r.valueMgdl, unit)) }));
  const summary =
    charted.length === 0
      ? `No readings in the last ${CHART_DAYS} days.`
      : `Glucose chart: ${charted.length} readings in the last ${CHART_DAYS} days, from ${formatGlucose(Math.min(...charted.map((r) => r.valueMgdl)), unit)} to ${formatGlucose(Math.max(...charted.map((r) => r.valueMgdl)), unit)} ${unit}.`;

  return (
    <>
      <section className="panel" aria-labelledby="about-heading">
        <h2 id="about-heading">About</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{name}</dd>
          <dt>Date of birth</dt>
          <dd>{patient.birthDate}</dd>
          {patient.medicalRecordNumber ? (
            <>
              <dt>Record number</dt>
              <dd>{patient.medicalRecordNumber}</dd>
            </>
          ) : null}
          <dt>Time zone</dt>
          <dd>{patient.timezone}</dd>
          <dt>Unit</dt>
          <dd>{unit}</dd>
        </dl>
      </section>

      {mayReadReadings ? null : (
        <p className="notice" id="no-readings-for-role">
          Glucose readings and reports are not shown to administrators: only the patient, their guardians and the clinicians of their care teams see them.
        </p>
      )}

      {mayReadReadings ? (
        <section className="panel" aria-labelledby="chart-heading">
          <h2 id="chart-heading">Last {CHART_DAYS} days</h2>
          {points.length > 0 ? <GlucoseChart points={points} unit={unit} timezone={patient.timezone} summary={summary} /> : <p>{summary}</p>}
        </section>
      ) : null}

      {can(actor, "reading:create") ? (
        <section className="panel" aria-labelledby="add-heading">
          <h2 id="add-heading">Add a reading</h2>
          <ReadingForm
            action={addReadingAction.bind(null, patient.id)}
            defaults={{ unit, takenAt: nowInZone(patient.timezone) }}
            timezone={patient.timezone}
            submitLabel="Add reading"
          />
        </section>
      ) : null}

      {mayReadReadings ? (
        <section className="panel" aria-labelledby="readings-heading">
          <h2 id="readings-heading">Latest readings</h2>
          {recent.length === 0 ? (
            <p>No readings yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Time (local)</th>
                    <th scope="col" className="number">
                      Glucose ({unit})
                    </th>
                    <th scope="col">As received</th>
                    <th scope="col">Meal</th>
                    <th scope="col">Source</th>
                    <th scope="col">Note</th>
                    {mayCorrect ? <th scope="col">Correct</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {recent.map((reading) => (
                    <tr key={reading.id}>
                      <td>
                        {formatAtOffset(reading.effectiveAt, reading.utcOffsetMinutes)} <span className="meta">UTC{formatOffset(reading.utcOffsetMinutes)}</span>
                      </td>
                      <td className="number">
                        {displayValue(reading, unit)}
                        {reading.specimen === "interstitial" ? <TrendArrow direction={reading.trend} /> : null}
                      </td>
                      <td>
                        {reading.valueAsReceived} {reading.unit}
                      </td>
                      <td>{reading.mealContext ? mealContextLabels[reading.mealContext] : "—"}</td>
                      <td>
                        {sourceLabels[reading.source]}
                        {reading.version > 1 ? ` (corrected, v${reading.version})` : ""}
                      </td>
                      <td>{reading.note ?? ""}</td>
                      {mayCorrect ? (
                        <td>
                          {reading.source === "manual" ? (
                            <Link href={`/patients/${patient.id}/readings/${reading.id}`} aria-label={`Correct the reading of ${formatAtOffset(reading.effectiveAt, reading.utcOffsetMinutes)}`}>
                              Correct
                            </Link>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      {mayReadTreatments ? (
        <section className="panel" aria-labelledby="treatments-heading">
          <h2 id="treatments-heading">Treatments</h2>
          <p className="meta">Carbohydrates, insulin and the events around them, as uploader apps (AndroidAPS, Loop, xDrip+…) recorded them.</p>
          {treatments.length === 0 ? <p>No treatments yet.</p> : <TreatmentsTable treatments={treatments} />}
        </section>
      ) : null}
    </>
  );
}
