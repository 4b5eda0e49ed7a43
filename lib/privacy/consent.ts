import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { consentRecords, decidablePurposes, consentDecisions, patients, type ConsentDecider, type ConsentDecision, type DecidablePurpose } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { nowInZone } from "@/lib/time/zones";
import { parseInput } from "@/lib/validation";
import { decidedBy, isPermitted, PRIVACY_POLICY_VERSION, PURPOSES, refusalOf, type ConsentSubject, type Purpose } from "./purposes";

/**
 * Consent per purpose (PRIVACY-SECURITY.md C1-C4): the patient, or below the age of digital
 * consent their guardian, gives or withdraws consent for each optional purpose and may object to
 * hospital sharing. Every decision is a new row in consent_records superseding the previous one,
 * audited in the same transaction; the visibility rule (lib/access/visibility.ts) enforces the
 * hospital-sharing objection for hospital systems.
 */

export const consentDecisionSchema = z.object({
  purpose: z.enum(decidablePurposes, { message: "Choose one of the listed purposes." }),
  decision: z.enum(consentDecisions, { message: "Choose yes or no." }),
});

export interface ConsentRecordView {
  id: string;
  purpose: DecidablePurpose;
  decision: ConsentDecision;
  policyVersion: string;
  method: string;
  decidedAs: ConsentDecider;
  decidedByUserId: string;
  decidedAt: Date;
  supersededAt: Date | null;
}

export interface PurposeChoice extends Purpose {
  current: ConsentRecordView | null;
  /** Whether the patient's data is used for it now (defaults and the children's rules applied). */
  permitted: boolean;
  /** When the signed-in person cannot change it, the reason in a sentence (shown instead of the buttons). */
  lockedBecause: string | null;
}

export interface PrivacyChoices {
  patientId: string;
  /** Who decides the optional purposes: the patient, or (below the age of digital consent) the guardian. */
  decidedBy: ConsentDecider;
  digitalConsentAge: number;
  purposes: PurposeChoice[];
  /** Every decision, newest first. */
  history: ConsentRecordView[];
}

const recordColumns = {
  id: consentRecords.id,
  purpose: consentRecords.purpose,
  decision: consentRecords.decision,
  policyVersion: consentRecords.policyVersion,
  method: consentRecords.method,
  decidedAs: consentRecords.decidedAs,
  decidedByUserId: consentRecords.decidedByUserId,
  decidedAt: consentRecords.decidedAt,
  supersededAt: consentRecords.supersededAt,
};

function subjectOf(patient: { birthDate: string; timezone: string }, now: Date): ConsentSubject {
  return { birthDate: patient.birthDate, today: nowInZone(patient.timezone, now).slice(0, 10), digitalConsentAge: environment().LANTERN_DIGITAL_CONSENT_AGE };
}

function deciderOf(actor: UserActor): ConsentDecider | null {
  return actor.role === "patient" || actor.role === "guardian" ? actor.role : null;
}

/** The patient's privacy choices as the signed-in person sees them, with the full history. */
export async function getPrivacyChoices(actor: UserActor, patientId: string, now = new Date()): Promise<PrivacyChoices> {
  return audited(actor, { action: "read", resourceType: "Consent", purpose: "privacy" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "consent:read", patientId);
    trail.touch(patient.id);
    const history = await tx.select(recordColumns).from(consentRecords).where(eq(consentRecords.patientId, patient.id)).orderBy(desc(consentRecords.decidedAt), desc(consentRecords.id));
    const subject = subjectOf(patient, now);
    const decider = deciderOf(actor);
    const purposes = PURPOSES.map((purpose): PurposeChoice => {
      if (!purpose.decidable) return { ...purpose, current: null, permitted: true, lockedBecause: "Part of your care; not a choice." };
      const id = purpose.id as DecidablePurpose;
      const current = history.find((record) => record.purpose === id && record.supersededAt === null) ?? null;
      const lockedBecause = decider === null ? "Only the patient or their guardian can change this." : refusalOf(id, current?.decision === "permit" ? "deny" : "permit", subject, decider);
      return { ...purpose, current, permitted: isPermitted(id, current?.decision ?? null, subject), lockedBecause };
    });
    return { patientId: patient.id, decidedBy: decidedBy(subject), digitalConsentAge: subject.digitalConsentAge, purposes, history };
  });
}

/**
 * Gives or withdraws consent for one purpose (or objects to, or allows again, hospital sharing):
 * one step either way. Refused with a sentence when the signed-in person is not the one who
 * decides (a child below the age of digital consent, a guardian of an older patient) or when
 * the choice is never allowed (marketing for a child).
 */
export async function decideConsent(actor: UserActor, patientId: string, input: unknown, now = new Date()): Promise<ConsentRecordView> {
  const form = parseInput(consentDecisionSchema, input);
  return audited(actor, { action: "update", resourceType: "Consent", purpose: "privacy" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "consent:decide", patientId);
    trail.touch(patient.id);
    const decider = deciderOf(actor)!;
    const refusal = refusalOf(form.purpose, form.decision, subjectOf(patient, now), decider);
    if (refusal) throw new AppError("forbidden", refusal);
    // Lock the patient so two decisions at once supersede in order.
    await tx.select({ id: patients.id }).from(patients).where(eq(patients.id, patient.id)).for("update");
    await tx
      .update(consentRecords)
      .set({ supersededAt: now })
      .where(and(eq(consentRecords.patientId, patient.id), eq(consentRecords.purpose, form.purpose), isNull(consentRecords.supersededAt)));
    const [record] = await tx
      .insert(consentRecords)
      .values({ patientId: patient.id, purpose: form.purpose, decision: form.decision, policyVersion: PRIVACY_POLICY_VERSION, method: "portal", decidedByUserId: actor.userId, decidedAs: decider, decidedAt: now })
      .returning(recordColumns);
    trail.resourceId = record!.id;
    return record!;
  });
}
