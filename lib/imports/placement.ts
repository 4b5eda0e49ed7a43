import type { ParsedImportRow } from "@/lib/readings/import";
import { formatOffset } from "@/lib/time/offsets";
import { resolveLocalTime } from "@/lib/time/zones";

/**
 * Places file rows in time. Rows with an offset are absolute. Local times are read in the
 * patient's zone: a time that did not exist (clocks went forward) is rejected with the reason;
 * a time that happened twice (clocks went back) is read as its first occurrence the first time
 * it appears in the file and as its second occurrence the next time, so a CGM trace through
 * the repeated hour keeps both passes. Each daylight-saving case is explained once per day.
 */
export class TimePlacer {
  private readonly repeatedSeen = new Set<string>();
  private readonly notes = new Map<string, string>();

  constructor(private readonly timeZone: string) {}

  place(row: ParsedImportRow): { effectiveAt: Date; utcOffsetMinutes: number } | { reason: string } {
    if (row.instant) return { effectiveAt: row.instant, utcOffsetMinutes: row.utcOffsetMinutes ?? 0 };
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
        return { effectiveAt: resolved.instant, utcOffsetMinutes: resolved.utcOffsetMinutes };
      case "repeated": {
        this.notes.set(
          `repeated:${day}`,
          `On ${day} the clocks went back in ${this.timeZone}: the repeated hour was read first as UTC${formatOffset(resolved.utcOffsetMinutes)}, then as UTC${formatOffset(resolved.laterUtcOffsetMinutes)} when its times appeared again.`,
        );
        if (!this.repeatedSeen.has(row.localTime + row.recordKind)) {
          this.repeatedSeen.add(row.localTime + row.recordKind);
          return { effectiveAt: resolved.instant, utcOffsetMinutes: resolved.utcOffsetMinutes };
        }
        const shiftMs = (resolved.utcOffsetMinutes - resolved.laterUtcOffsetMinutes) * 60_000;
        return { effectiveAt: new Date(resolved.instant.getTime() + shiftMs), utcOffsetMinutes: resolved.laterUtcOffsetMinutes };
      }
    }
  }

  explanations(): string[] {
    return [...this.notes.values()];
  }
}
