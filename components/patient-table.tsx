import Link from "next/link";
import { OpenAlertMark } from "@/components/alert-labels";
import type { OpenGlucoseAlerts } from "@/lib/monitoring/inbox";
import type { PatientListItem } from "@/lib/patients/queries";
import { formatAtOffset } from "@/lib/time/zones";
import { formatGlucose } from "@/lib/readings/units";

/** Patients with their latest reading and, when given, their open lows and highs, each linking to the patient's page. */
export function PatientTable({
  patients,
  caption,
  showLastReading,
  openAlerts,
}: {
  patients: PatientListItem[];
  caption: string;
  showLastReading: boolean;
  openAlerts?: Map<string, OpenGlucoseAlerts>;
}) {
  if (patients.length === 0) return <p>No patients yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Date of birth</th>
            <th scope="col">Record number</th>
            {showLastReading ? (
              <>
                <th scope="col" className="number">
                  Last reading
                </th>
                <th scope="col">Taken (UTC)</th>
              </>
            ) : null}
            {openAlerts ? <th scope="col">Open alerts</th> : null}
          </tr>
        </thead>
        <tbody>
          {patients.map((patient) => (
            <tr key={patient.id}>
              <td>
                <Link href={`/patients/${patient.id}`}>
                  {patient.familyName}, {patient.givenName}
                </Link>
              </td>
              <td>{patient.birthDate}</td>
              <td>{patient.medicalRecordNumber ?? "—"}</td>
              {showLastReading ? (
                <>
                  <td className="number">
                    {patient.lastReading ? `${formatGlucose(patient.lastReading.valueMgdl, patient.preferredUnit)} ${patient.preferredUnit}` : "No readings"}
                  </td>
                  <td>{patient.lastReading ? formatAtOffset(patient.lastReading.effectiveAt, 0) : "—"}</td>
                </>
              ) : null}
              {openAlerts ? (
                <td>
                  <OpenAlertMarks marks={openAlerts.get(patient.id)} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OpenAlertMarks({ marks }: { marks: OpenGlucoseAlerts | undefined }) {
  if (!marks || (!marks.low && !marks.high)) return <>None</>;
  return (
    <>
      {marks.low ? <OpenAlertMark side="low" severity={marks.low} /> : null} {marks.high ? <OpenAlertMark side="high" severity={marks.high} /> : null}
    </>
  );
}
