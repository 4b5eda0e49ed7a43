import { formatOffset } from "@/lib/time/offsets";
import { formatAtOffset } from "@/lib/time/zones";
import type { TreatmentListRow } from "@/lib/uploader/treatments-store";
import { scrollableRegion } from "@/components/scrollable-region";

const amount = (value: number | null, unit: string) => (value === null ? "—" : `${Number(value.toFixed(2))} ${unit}`);

/** What else a treatment says: the insulin's name, a temporary basal's rate and duration. */
function details(treatment: TreatmentListRow): string {
  const parts = [
    treatment.insulinKind,
    treatment.basalRate === null ? null : `${Number(treatment.basalRate.toFixed(3))} U/h`,
    treatment.durationMinutes === null ? null : `for ${Math.round(treatment.durationMinutes)} min`,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(", ") : "—";
}

/** The patient's treatments, newest first, at the local time they happened. */
export function TreatmentsTable({ treatments }: { treatments: TreatmentListRow[] }) {
  return (
    <div className="table-wrap" {...scrollableRegion("Treatments table")}>
      <table>
        <thead>
          <tr>
            <th scope="col">Time (local)</th>
            <th scope="col">Event</th>
            <th scope="col" className="number">
              Carbs
            </th>
            <th scope="col" className="number">
              Insulin
            </th>
            <th scope="col">Details</th>
            <th scope="col">Notes</th>
            <th scope="col">App</th>
          </tr>
        </thead>
        <tbody>
          {treatments.map((treatment) => (
            <tr key={treatment.id}>
              <td>
                {formatAtOffset(treatment.occurredAt, treatment.utcOffsetMinutes)} <span className="meta">UTC{formatOffset(treatment.utcOffsetMinutes)}</span>
              </td>
              <td>{treatment.eventType ?? "—"}</td>
              <td className="number">{amount(treatment.carbsGrams, "g")}</td>
              <td className="number">{amount(treatment.insulinUnits, "U")}</td>
              <td>{details(treatment)}</td>
              <td>{treatment.notes ?? ""}</td>
              <td>{treatment.app}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
