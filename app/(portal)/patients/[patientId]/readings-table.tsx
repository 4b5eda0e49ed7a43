import Link from "next/link";
import { TrendArrow } from "@/components/trend-arrow";
import { mealContextLabels } from "@/lib/readings/manual-entry-schema";
import type { ReadingRow } from "@/lib/readings/queries";
import { formatGlucose, type GlucoseUnit } from "@/lib/readings/units";
import { formatOffset } from "@/lib/time/offsets";
import { formatAtOffset } from "@/lib/time/zones";

const sourceLabels = { manual: "Entered by hand", device: "Connected meter", file: "File upload", uploader: "Uploader app", fhir: "Hospital system" } as const;

function displayValue(reading: ReadingRow, unit: GlucoseUnit): string {
  const value = formatGlucose(reading.valueMgdl, unit);
  return reading.censored === "below" ? `below ${value} (LO)` : reading.censored === "above" ? `above ${value} (HI)` : value;
}

/** Readings in the patient's unit and at the local time they were taken, with where each came from. */
export function ReadingsTable({ readings, unit, patientId, mayCorrect, caption }: { readings: ReadingRow[]; unit: GlucoseUnit; patientId: string; mayCorrect: boolean; caption?: string }) {
  return (
    <div className="table-wrap">
      <table>
        {caption ? <caption>{caption}</caption> : null}
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
          {readings.map((reading) => (
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
                    <Link href={`/patients/${patientId}/readings/${reading.id}`} aria-label={`Correct the reading of ${formatAtOffset(reading.effectiveAt, reading.utcOffsetMinutes)}`}>
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
  );
}
