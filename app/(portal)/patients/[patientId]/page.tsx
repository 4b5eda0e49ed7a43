import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { getVisiblePatient } from "@/lib/patients/queries";
import { wholeHourTicks } from "@/lib/time/ticks";
import { nowInZone } from "@/lib/time/zones";
import { listRecentReadings } from "@/lib/readings/queries";
import { formatGlucose } from "@/lib/readings/units";
import { listPatientTreatments } from "@/lib/uploader/treatments-store";
import { PatientAlerts } from "@/components/patient-alerts";
import { listPatientAlerts } from "@/lib/monitoring/inbox";
import { addReadingAction } from "./actions";
import { GlucoseChart } from "./glucose-chart";
import { ReadingForm } from "./reading-form";
import { ReadingsTable } from "./readings-table";
import { TreatmentsTable } from "./treatments-table";

export const metadata: Metadata = { title: "Patient" };

const CHART_DAYS = 3;

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
  const alerts = can(actor, "alert:search") ? await listPatientAlerts(actor, patient.id, { limit: 20 }) : null;
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

      {alerts ? (
        <section className="panel" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Alerts</h2>
          <p className="meta">Episodes of low or high glucose Lantern found in the readings, and whether a clinician has acknowledged them.</p>
          <PatientAlerts alerts={alerts} unit={unit} />
        </section>
      ) : null}
      {mayReadReadings ? null : (
        <p className="notice" id="no-readings-for-role">
          Glucose readings and reports are not shown to administrators: only the patient, their guardians and the clinicians of their care teams see them.
        </p>
      )}

      {mayReadReadings ? (
        <section className="panel" aria-labelledby="chart-heading">
          <h2 id="chart-heading">Last {CHART_DAYS} days</h2>
          {points.length > 0 ? <GlucoseChart points={points} ticks={wholeHourTicks(points[0]!.time, points.at(-1)!.time, patient.timezone, 6)} unit={unit} timezone={patient.timezone} summary={summary} /> : <p>{summary}</p>}
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
            <ReadingsTable readings={recent} unit={unit} patientId={patient.id} mayCorrect={mayCorrect} />
          )}
          <p>
            <Link href={`/patients/${patient.id}/readings`}>All readings, by date</Link>
          </p>
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
