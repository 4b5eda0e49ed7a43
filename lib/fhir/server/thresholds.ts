import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { patients, patientTargets } from "@/db/schema";
import type { AlertThresholds } from "@/lib/alerts/targets";
import { targetsFromRow } from "@/lib/monitoring/targets";

/**
 * The alert thresholds in force for each patient of a page of readings (lib/monitoring/targets.ts:
 * the clinician's targets, or the preset of the patient's age), one query per page: what a
 * reading's Observation interpretation (L, LL, H, HH) is decided by. The caller has applied the
 * visibility rule to the rows.
 */
export async function withThresholds<Row extends { patientId: string }>(db: Database | Transaction, rows: readonly Row[], now: Date): Promise<(Row & { thresholds: AlertThresholds })[]> {
  const byPatient = await thresholdsOf(db, [...new Set(rows.map((row) => row.patientId))], now);
  return rows.map((row) => ({ ...row, thresholds: byPatient.get(row.patientId)! }));
}

/** The thresholds in force for each of `patientIds`. */
export async function thresholdsOf(db: Database | Transaction, patientIds: readonly string[], now: Date): Promise<Map<string, AlertThresholds>> {
  if (patientIds.length === 0) return new Map();
  const rows = await db
    .select({ patientId: patients.id, birthDate: patients.birthDate, targets: patientTargets })
    .from(patients)
    .leftJoin(patientTargets, eq(patientTargets.patientId, patients.id))
    .where(inArray(patients.id, [...patientIds]));
  return new Map(
    rows.map(({ patientId, birthDate, targets }) => [
      patientId,
      targetsFromRow(
        targets
          ? {
              preset: targets.preset, hypo_level_1: targets.hypoLevel1, hypo_level_2: targets.hypoLevel2, hyper_level_1: targets.hyperLevel1, hyper_level_2: targets.hyperLevel2,
              cgm_interval_minutes: targets.cgmIntervalMinutes, reason: targets.reason, set_by_user_id: targets.setByUserId, set_at: targets.setAt.toISOString(),
            }
          : null,
        { birthDate },
        now,
      ).thresholds,
    ]),
  );
}
