import Link from "next/link";
import type { PatientListItem } from "@/lib/patients/queries";
import { formatAtOffset } from "@/lib/time/zones";
import { formatGlucose } from "@/lib/readings/units";

/** Patients with their latest reading, each linking to the patient's page. */
export function PatientTable({ patients, caption, showLastReading }: { patients: PatientListItem[]; caption: string; showLastReading: boolean }) {
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
