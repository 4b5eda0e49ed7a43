import "server-only";
import { eq } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { patientTargets } from "@/db/schema";
import { TARGET_PRESETS, targetsInForce, type AlertThresholds, type TargetPresetId } from "@/lib/alerts/targets";
import { DEFAULT_INTERVAL_MINUTES } from "@/lib/alerts/points";
import { ageOn } from "@/lib/time/age";

/** What the alert rules of one patient run with, and what every alert shows. */
export interface PatientTargets {
  preset: TargetPresetId;
  label: string;
  thresholds: AlertThresholds;
  customized: boolean;
  cgmIntervalMinutes: number;
  /** Who set them and why; null for the default of the patient's age. */
  setBy: { userId: string | null; reason: string; at: Date } | null;
}

/** The preset a patient has until a clinician sets targets: paediatric under 18, standard adult from 18. */
export function defaultPresetFor(birthDate: string, today: string): TargetPresetId {
  return ageOn(birthDate, today) < 18 ? "paediatric" : "standard-adult";
}

/** A patient_targets row as the write statement reads it (row_to_json: column names). */
export interface StoredTargets {
  preset: string;
  hypo_level_1: number;
  hypo_level_2: number;
  hyper_level_1: number;
  hyper_level_2: number;
  cgm_interval_minutes: number;
  reason: string;
  set_by_user_id: string | null;
  set_at: string;
}

/** The targets in force for a patient (the caller has authorized the patient). */
export async function targetsOf(db: Database | Transaction, patient: { id: string; birthDate: string }, now: Date): Promise<PatientTargets> {
  const [row] = await db.select().from(patientTargets).where(eq(patientTargets.patientId, patient.id));
  return targetsFromRow(
    row
      ? {
          preset: row.preset, hypo_level_1: row.hypoLevel1, hypo_level_2: row.hypoLevel2, hyper_level_1: row.hyperLevel1, hyper_level_2: row.hyperLevel2,
          cgm_interval_minutes: row.cgmIntervalMinutes, reason: row.reason, set_by_user_id: row.setByUserId, set_at: row.setAt.toISOString(),
        }
      : null,
    patient,
    now,
  );
}

/** The targets in force from a stored row, or the default of the patient's age when there is none. */
export function targetsFromRow(row: StoredTargets | null, patient: { birthDate: string }, now: Date): PatientTargets {
  if (!row) {
    const preset = defaultPresetFor(patient.birthDate, now.toISOString().slice(0, 10));
    const inForce = targetsInForce(preset);
    return { preset, label: inForce.label, thresholds: inForce.thresholds, customized: false, cgmIntervalMinutes: DEFAULT_INTERVAL_MINUTES, setBy: null };
  }
  const preset = row.preset in TARGET_PRESETS ? (row.preset as TargetPresetId) : "standard-adult";
  const inForce = targetsInForce(preset, { hypoLevel1: row.hypo_level_1, hypoLevel2: row.hypo_level_2, hyperLevel1: row.hyper_level_1, hyperLevel2: row.hyper_level_2 });
  return {
    preset,
    label: inForce.label,
    thresholds: inForce.thresholds,
    customized: inForce.customized,
    cgmIntervalMinutes: row.cgm_interval_minutes,
    setBy: { userId: row.set_by_user_id, reason: row.reason, at: new Date(row.set_at) },
  };
}

/** The snapshot of targets stored with each alert. */
export function targetsSnapshot(targets: PatientTargets) {
  return { preset: targets.preset, label: targets.label, thresholds: targets.thresholds, customized: targets.customized };
}
