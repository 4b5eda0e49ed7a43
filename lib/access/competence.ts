import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { competenceAssessments } from "@/db/schema";

/**
 * Whether a young person was judged competent to decide who sees their record (lib/people/competence.ts
 * records it): read by the guardian-limiting rule and by "who can see my data" (lib/oversight).
 */

export interface CompetenceAssessment {
  competent: boolean;
  assessedAt: Date;
}

/** The latest assessment of the patient, or null when none was made. */
export async function latestCompetenceAssessment(db: Database | Transaction, patientId: string): Promise<CompetenceAssessment | null> {
  const [latest] = await db
    .select({ competent: competenceAssessments.competent, assessedAt: competenceAssessments.assessedAt })
    .from(competenceAssessments)
    .where(eq(competenceAssessments.patientId, patientId))
    .orderBy(desc(competenceAssessments.assessedAt), desc(competenceAssessments.id))
    .limit(1);
  return latest ?? null;
}
