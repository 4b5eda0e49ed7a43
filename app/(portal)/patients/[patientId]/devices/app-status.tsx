import { formatAtOffset } from "@/lib/time/zones";
import type { StoredDeviceStatusRow } from "@/lib/uploader/device-status";
import type { UploadProblemRow } from "@/lib/uploader/problems";
import { scrollableRegion } from "@/components/scrollable-region";

const utc = (date: Date) => formatAtOffset(date, 0);
const decimal = (value: number) => String(Number(value.toFixed(2)));

function pumpText({ pump }: StoredDeviceStatusRow): string {
  if (!pump) return "—";
  const parts = [
    pump.reservoirUnits === undefined ? null : `reservoir ${decimal(pump.reservoirUnits)} U`,
    pump.batteryPercent === undefined ? null : `battery ${Math.round(pump.batteryPercent)}%`,
    pump.suspended ? "suspended" : pump.status ?? null,
    pump.bolusing ? "bolusing" : null,
  ];
  return parts.filter(Boolean).join(", ") || "—";
}

function loopText({ loop }: StoredDeviceStatusRow): string {
  if (!loop) return "—";
  const parts = [
    loop.system,
    loop.failed ? "last run failed" : null,
    loop.iobUnits === undefined ? null : `insulin on board ${decimal(loop.iobUnits)} U`,
    loop.cobGrams === undefined ? null : `carbs on board ${Math.round(loop.cobGrams)} g`,
    loop.enactedRate === undefined ? null : `temporary basal ${decimal(loop.enactedRate)} U/h${loop.enactedDurationMinutes === undefined ? "" : ` for ${Math.round(loop.enactedDurationMinutes)} min`}`,
  ];
  return parts.filter(Boolean).join(", ");
}

/** The latest report of each app. */
export function AppStatusTable({ statuses }: { statuses: StoredDeviceStatusRow[] }) {
  return (
    <div className="table-wrap" {...scrollableRegion("App status table")}>
      <table>
        <thead>
          <tr>
            <th scope="col">App</th>
            <th scope="col">Reported (UTC)</th>
            <th scope="col" className="number">
              Phone battery
            </th>
            <th scope="col">Pump</th>
            <th scope="col">Loop</th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((status) => (
            <tr key={status.identifier}>
              <td>{status.app}</td>
              <td>{utc(status.reportedAt)}</td>
              <td className="number">{status.uploaderBattery === null ? "—" : `${status.uploaderBattery}%${status.uploaderCharging ? " (charging)" : ""}`}</td>
              <td>{pumpText(status)}</td>
              <td>{loopText(status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What apps sent that was not stored: by app and reason, how often, since when. */
export function UploadProblemsTable({ problems }: { problems: UploadProblemRow[] }) {
  return (
    <div className="table-wrap" {...scrollableRegion("Upload problems table")}>
      <table>
        <thead>
          <tr>
            <th scope="col">App</th>
            <th scope="col">Not stored</th>
            <th scope="col" className="number">
              How many
            </th>
            <th scope="col">First seen (UTC)</th>
            <th scope="col">Last seen (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem) => (
            <tr key={`${problem.app}\u0000${problem.reason}`}>
              <td>{problem.app}</td>
              <td>{problem.reason}</td>
              <td className="number">{problem.count}</td>
              <td>{utc(problem.firstSeenAt)}</td>
              <td>{utc(problem.lastSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
