import type { ParsedImportRow } from "@/lib/readings/import";
import { formatOffset } from "@/lib/time/offsets";
import { resolveLocalTime } from "@/lib/time/zones";

type Placed = { effectiveAt: Date; utcOffsetMinutes: number };
type FileOrder = "oldest-first" | "newest-first";

/** What the rows of one device said so far: where they are in time, and which way they run. */
interface DeviceTrack {
  lastMs: number;
  order: FileOrder | null;
}

/**
 * Places file rows in time. Rows with an offset are absolute. Local times are read in the
 * patient's zone: a time that did not exist (clocks went forward) is rejected with the reason.
 *
 * A local time that happened twice (the hour repeated when the clocks go back) is placed from the
 * order of the file, the only evidence the rows carry:
 * - A device is a serial number (a LibreView sensor or reader, a Dexcom transmitter); the rows
 *   without one (a generic CSV, Dexcom calibrations) count as one device. A device's rows are in
 *   time order, oldest or newest first: the order is read from its own consecutive rows, else from
 *   the other devices of the file, else taken as oldest first.
 * - A series is one device's rows of one specimen and record kind (a LibreView historic trace, its
 *   scans, its strips; a generic CSV's capillary or interstitial rows). No two rows of a series
 *   share an instant; rows of different series may (a scan in the minute of a historic reading).
 * - A repeated time takes the first of its two instants, in the file's order, that comes neither
 *   before the device's previous row nor at or before the series' previous row (oldest first;
 *   mirrored when newest first). So each device and series goes through its own first pass and then
 *   its second, whatever the other devices in the file do; a time seen only in the second pass
 *   (a drifting sensor, a fingerstick at 01:20 after one at 01:40) lands in the second pass.
 * - Before a device's order is known (its first rows), the instant nearest its previous row wins.
 * - Not decidable from the rows and read as the first pass: a device silent for more than an hour
 *   across the change (its next time fits either pass), and a device whose first row in the file
 *   is in the repeated hour (read as the pass the file's order meets first).
 * Each daylight-saving case is explained once per day.
 */
export class TimePlacer {
  private readonly devices = new Map<string, DeviceTrack>();
  private readonly series = new Map<string, number>();
  private fileOrder: FileOrder | null = null;
  private readonly notes = new Map<string, string>();

  constructor(private readonly timeZone: string) {}

  place(row: ParsedImportRow): Placed | { reason: string } {
    if (row.instant) return this.record(row, { effectiveAt: row.instant, utcOffsetMinutes: row.utcOffsetMinutes ?? 0 });
    if (!row.localTime) return { reason: `Row ${row.row}: the row has no time` };
    const resolved = resolveLocalTime(row.localTime, this.timeZone);
    const day = row.localTime.slice(0, 10);
    switch (resolved.kind) {
      case "invalid":
        return { reason: `Row ${row.row}: time ${row.localTime} is not a valid date` };
      case "skipped":
        this.notes.set(`skipped:${day}`, `On ${day} the clocks went forward in ${this.timeZone}: times in the skipped hour did not happen there and were rejected (check the meter's clock).`);
        return { reason: `Row ${row.row}: ${row.localTime.replace("T", " ")} did not happen in ${this.timeZone} (the clocks went forward)` };
      case "exact":
        return this.record(row, { effectiveAt: resolved.instant, utcOffsetMinutes: resolved.utcOffsetMinutes });
      case "repeated": {
        const shiftMs = (resolved.utcOffsetMinutes - resolved.laterUtcOffsetMinutes) * 60_000;
        const firstPass = { effectiveAt: resolved.instant, utcOffsetMinutes: resolved.utcOffsetMinutes };
        const secondPass = { effectiveAt: new Date(resolved.instant.getTime() + shiftMs), utcOffsetMinutes: resolved.laterUtcOffsetMinutes };
        const order = this.orderOf(row);
        const [met, then] = order === "newest-first" ? [secondPass, firstPass] : [firstPass, secondPass];
        const newest = order === "newest-first" ? " (this file lists newest first)" : "";
        this.notes.set(
          `repeated:${day}`,
          `On ${day} the clocks went back in ${this.timeZone}${newest}: the repeated hour was read first as UTC${formatOffset(met.utcOffsetMinutes)}, then as UTC${formatOffset(then.utcOffsetMinutes)} when its times appeared again, for each device and kind of reading in the order of the file.`,
        );
        return this.record(row, this.choosePass(row, order, met, then));
      }
    }
  }

  explanations(): string[] {
    return [...this.notes.values()];
  }

  private orderOf(row: ParsedImportRow): FileOrder | null {
    return this.devices.get(deviceOf(row))?.order ?? this.fileOrder;
  }

  /** `met` is the pass the file's order reaches first; see the rule in the class comment. */
  private choosePass(row: ParsedImportRow, order: FileOrder | null, met: Placed, then: Placed): Placed {
    const device = this.devices.get(deviceOf(row));
    const seriesLast = this.series.get(seriesOf(row));
    const fits = (pass: Placed) => {
      const ms = pass.effectiveAt.getTime();
      if (ms === seriesLast) return false;
      if (order === null) return true;
      const forward = order === "oldest-first" ? 1 : -1;
      return (device === undefined || (ms - device.lastMs) * forward >= 0) && (seriesLast === undefined || (ms - seriesLast) * forward > 0);
    };
    const fitting = [met, then].filter(fits);
    const pool = fitting.length > 0 ? fitting : [met, then];
    if (device === undefined || (order !== null && fitting.length > 0)) return pool[0]!;
    // The device's order is not known yet (or its rows are out of order): the nearest instant.
    const distance = (pass: Placed) => Math.abs(pass.effectiveAt.getTime() - device.lastMs);
    return pool.reduce((best, pass) => (distance(pass) < distance(best) ? pass : best));
  }

  private record(row: ParsedImportRow, placed: Placed): Placed {
    const ms = placed.effectiveAt.getTime();
    const key = deviceOf(row);
    const device = this.devices.get(key);
    if (device === undefined) {
      this.devices.set(key, { lastMs: ms, order: null });
    } else {
      if (ms !== device.lastMs) {
        device.order = ms > device.lastMs ? "oldest-first" : "newest-first";
        this.fileOrder = device.order;
      }
      device.lastMs = ms;
    }
    this.series.set(seriesOf(row), ms);
    return placed;
  }
}

const deviceOf = (row: ParsedImportRow) => row.deviceSerial ?? "";
const seriesOf = (row: ParsedImportRow) => JSON.stringify([row.deviceSerial, row.specimen, row.recordKind]);
