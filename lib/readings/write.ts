import "server-only";
import type { Transaction } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import type { GlucoseUnit, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import { normalizedMgdl } from "./units";

export interface ReadingToStore {
  patientId: string;
  value: number;
  unit: GlucoseUnit;
  effectiveAt: Date;
  utcOffsetMinutes: number;
  specimen: Specimen;
  source: ReadingSource;
  deviceId?: string | null;
  enteredByUserId?: string | null;
}

/**
 * The one write path for glucose readings: every door (manual form, devices, files, uploader
 * apps, FHIR) ends here, inside the caller's transaction, after the caller has authorized the
 * patient. Alert evaluation and audit join this transaction in later issues.
 */
export async function storeReadings(tx: Transaction, readings: readonly ReadingToStore[]): Promise<number[]> {
  if (readings.length === 0) return [];
  const stored = await tx
    .insert(glucoseReadings)
    .values(
      readings.map((reading) => ({
        patientId: reading.patientId,
        valueAsReceived: String(reading.value),
        unit: reading.unit,
        valueMgdl: String(normalizedMgdl(reading.value, reading.unit)),
        effectiveAt: reading.effectiveAt,
        utcOffsetMinutes: reading.utcOffsetMinutes,
        specimen: reading.specimen,
        source: reading.source,
        deviceId: reading.deviceId ?? null,
        enteredByUserId: reading.enteredByUserId ?? null,
      })),
    )
    .returning({ id: glucoseReadings.id });
  return stored.map((row) => row.id);
}
