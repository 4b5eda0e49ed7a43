import "server-only";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { accessReviews, auditEvents, backendClients, breakGlassGrants, careTeamMembers, careTeamPatients, careTeams, guardianLinks, patients, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { latestCompetenceAssessment } from "@/lib/access/competence";
import { GUARDIAN_ACCESS_ENDS_AT_AGE } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import { ageOn } from "@/lib/time/age";
import { parseInput } from "@/lib/validation";
import { BREAK_GLASS_PURPOSE } from "./break-glass";
import { auditSearchSchema, reviewSchema } from "./schemas";
import { lookupsFor, openFrom } from "@/lib/security/sealed-columns";

/** One audit event as people read it: who (name and role), what, when, and whether it was break-glass. */
export interface AccessEntry {
  seq: number;
  occurredAt: Date;
  who: string;
  role: string | null;
  actorKind: string;
  action: string;
  resourceType: string;
  outcome: string;
  breakGlass: boolean;
}

/** The audit event's actor by name: a person, a hospital system, or what kind of thing it was. */
const actorName = sql<string>`coalesce(${users.displayName}, ${backendClients.name}, case ${auditEvents.actorKind}
    when 'device' then 'A meter or sensor paired to the record'
    when 'uploader' then 'An uploader or follower app'
    when 'system' then 'Lantern itself (' || coalesce(${auditEvents.actorRole}, 'job') || ')'
    when 'anonymous' then 'Someone not signed in'
    else 'Unknown' end)`;

/** True when a clinician's event fell within one of their break-glass grants for one of its patients. */
const duringBreakGlass = sql<boolean>`exists (select 1 from ${breakGlassGrants}
    where ${breakGlassGrants.clinicianUserId}::text = ${auditEvents.actorId} and ${breakGlassGrants.patientId} = any(${auditEvents.patientIds})
      and ${auditEvents.occurredAt} >= ${breakGlassGrants.startedAt} and ${auditEvents.occurredAt} < ${breakGlassGrants.expiresAt})
  or ${auditEvents.purpose} = ${BREAK_GLASS_PURPOSE}`;

async function accessEntries(tx: Transaction, where: SQL, limit: number): Promise<AccessEntry[]> {
  return tx
    .select({
      seq: auditEvents.seq,
      occurredAt: auditEvents.occurredAt,
      who: actorName,
      role: auditEvents.actorRole,
      actorKind: sql<string>`${auditEvents.actorKind}::text`,
      action: auditEvents.action,
      resourceType: auditEvents.resourceType,
      outcome: sql<string>`${auditEvents.outcome}::text`,
      breakGlass: duringBreakGlass,
    })
    .from(auditEvents)
    .leftJoin(users, and(eq(auditEvents.actorKind, "user"), sql`${users.id}::text = ${auditEvents.actorId}`))
    .leftJoin(backendClients, and(eq(auditEvents.actorKind, "backend-client"), sql`${backendClients.id}::text = ${auditEvents.actorId}`))
    .where(where)
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
}

/**
 * "Who accessed my data": the latest audit events that touched the patient's record, for the
 * patient, their guardian, and their care team. Reading it is itself on record.
 */
export async function accessLogOf(actor: UserActor, patientId: string, limit = 200): Promise<AccessEntry[]> {
  return audited(actor, { action: "read", resourceType: "AuditEvent", purpose: "transparency" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "accessLog:read", patientId);
    trail.touch(patient.id);
    return accessEntries(tx, sql`${patient.id}::uuid = any(${auditEvents.patientIds}) and ${auditEvents.organizationId} = ${patient.organizationId}`, limit);
  });
}

export interface WhoCanSee {
  guardians: { userId: string; name: string; status: "active" | "awaiting-confirmation" | "ended"; accessEnds: string | null }[];
  careTeams: { name: string; clinicians: string[] }[];
  breakGlass: { clinician: string; until: Date; reason: string }[];
  /** Whether the actor may confirm and renew guardians here (a clinician of the care team). */
  mayVerifyGuardians: boolean;
  /** The latest competence assessment of the young person, shown to the care team and to them. */
  competence: { competent: boolean; assessedAt: Date } | null;
  /** Whether the actor is the young person, judged competent, who may limit or end each guardian's access. */
  mayLimitGuardians: boolean;
}

function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split("-");
  return `${Number(year) + years}-${month}-${day}`;
}

/**
 * "Who can see my data": the guardians (with the day their access ends), the care teams and their
 * clinicians, and any clinician reading the record under break-glass now. Shown to the patient,
 * to guardians, and to the care team.
 */
export async function whoCanSee(actor: UserActor, patientId: string, now = new Date()): Promise<WhoCanSee> {
  return audited(actor, { action: "read", resourceType: "AccessList", purpose: "transparency" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "accessLog:read", patientId);
    trail.touch(patient.id);
    const today = now.toISOString().slice(0, 10);
    const [guardianRows, teamRows, grantRows] = await Promise.all([
      tx
        .select({
          userId: users.id,
          name: users.displayName,
          confirmedAt: guardianLinks.confirmedAt,
          renewedUntil: guardianLinks.renewedUntil,
          limitedByPatientUntil: guardianLinks.limitedByPatientUntil,
          endedByPatientAt: guardianLinks.endedByPatientAt,
        })
        .from(guardianLinks)
        .innerJoin(users, eq(users.id, guardianLinks.guardianUserId))
        .where(eq(guardianLinks.patientId, patient.id))
        .orderBy(asc(users.displayName)),
      tx
        .select({ team: careTeams.name, clinician: users.displayName })
        .from(careTeamPatients)
        .innerJoin(careTeams, eq(careTeams.id, careTeamPatients.careTeamId))
        .leftJoin(careTeamMembers, eq(careTeamMembers.careTeamId, careTeams.id))
        .leftJoin(users, eq(users.id, careTeamMembers.clinicianUserId))
        .where(eq(careTeamPatients.patientId, patient.id))
        .orderBy(asc(careTeams.name), asc(users.displayName)),
      tx
        .select({ clinician: users.displayName, until: breakGlassGrants.expiresAt, reason: breakGlassGrants.reason })
        .from(breakGlassGrants)
        .innerJoin(users, eq(users.id, breakGlassGrants.clinicianUserId))
        .where(and(eq(breakGlassGrants.patientId, patient.id), sql`${breakGlassGrants.expiresAt} > ${now.toISOString()}::timestamptz`)),
    ]);
    const eighteenth = addYears(patient.birthDate, GUARDIAN_ACCESS_ENDS_AT_AGE);
    const guardians = guardianRows.map((row) => {
      // The last day of access: the day before the 18th birthday, or the renewal's last day.
      // The young person's own limit, when earlier, ends it sooner; ending it has no last day to show.
      const byAge = row.renewedUntil && row.renewedUntil >= eighteenth ? row.renewedUntil : new Date(Date.parse(`${eighteenth}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const lastDay = row.limitedByPatientUntil && row.limitedByPatientUntil < byAge ? row.limitedByPatientUntil : byAge;
      if (row.endedByPatientAt) return { userId: row.userId, name: row.name, status: "ended" as const, accessEnds: null };
      const status = !row.confirmedAt ? ("awaiting-confirmation" as const) : lastDay < today ? ("ended" as const) : ("active" as const);
      return { userId: row.userId, name: row.name, status, accessEnds: lastDay };
    });
    const teams = new Map<string, string[]>();
    for (const row of teamRows) {
      const list = teams.get(row.team) ?? [];
      if (row.clinician) list.push(row.clinician);
      teams.set(row.team, list);
    }
    const mayVerifyGuardians =
      actor.role === "clinician" &&
      (await tx
        .select({ id: careTeamPatients.patientId })
        .from(careTeamPatients)
        .innerJoin(careTeamMembers, eq(careTeamMembers.careTeamId, careTeamPatients.careTeamId))
        .where(and(eq(careTeamPatients.patientId, patient.id), eq(careTeamMembers.clinicianUserId, actor.userId)))).length > 0;
    const competence = await latestCompetenceAssessment(tx, patient.id);
    const isTheYoungPerson = actor.role === "patient" && ageOn(patient.birthDate, today) < GUARDIAN_ACCESS_ENDS_AT_AGE;
    return {
      guardians,
      careTeams: [...teams].map(([name, clinicians]) => ({ name, clinicians })),
      breakGlass: grantRows,
      mayVerifyGuardians,
      competence: actor.role === "patient" || mayVerifyGuardians ? competence : null,
      mayLimitGuardians: isTheYoungPerson && competence?.competent === true && guardians.length > 0,
    };
  });
}

export interface AuditSearchRow extends AccessEntry {
  recordNumbers: string[];
}

/** Admins and privacy officers search their organization's audit trail (the search is on record too). */
export async function searchAuditTrail(actor: UserActor, input: unknown, limit = 200): Promise<AuditSearchRow[]> {
  assertCan(actor, "audit:search");
  const filters = parseInput(auditSearchSchema, input);
  return audited(actor, { action: "search", resourceType: "AuditEvent", purpose: "oversight" }, async (tx) => {
    const conditions: SQL[] = [sql`${auditEvents.organizationId} = ${actor.organizationId}`];
    if (filters.actorEmail) {
      conditions.push(sql`${auditEvents.actorId} in (select ${users.id}::text from ${users} where lower(${users.email}) = ${filters.actorEmail.toLowerCase()})`);
    }
    if (filters.medicalRecordNumber) {
      conditions.push(sql`exists (select 1 from ${patients} where ${patients.id} = any(${auditEvents.patientIds})
        and ${patients.organizationId} = ${actor.organizationId}
        and ${patients.medicalRecordNumberIndex} in ${lookupsFor("patientMedicalRecordNumber", filters.medicalRecordNumber)})`);
    }
    if (filters.action) conditions.push(sql`${auditEvents.action} = ${filters.action}`);
    if (filters.from) conditions.push(sql`${auditEvents.occurredAt} >= ${filters.from}::date`);
    if (filters.to) conditions.push(sql`${auditEvents.occurredAt} < ${filters.to}::date + 1`);
    if (filters.breakGlassOnly) conditions.push(duringBreakGlass);
    const entries = await accessEntries(tx, and(...conditions)!, limit);
    const numbers = entries.length
      ? await tx
          .select({ seq: auditEvents.seq, recordNumbers: sql<string[]>`coalesce((select array_agg(${patients.medicalRecordNumberSealed}) from ${patients}
              where ${patients.id} = any(${auditEvents.patientIds}) and ${patients.medicalRecordNumberSealed} is not null), '{}')` })
          .from(auditEvents)
          .where(sql`${auditEvents.seq} in ${entries.map((entry) => entry.seq)}`)
      : [];
    const bySeq = new Map(numbers.map((row) => [Number(row.seq), row.recordNumbers.map((sealed) => openFrom("patientMedicalRecordNumber", sealed))]));
    return entries.map((entry) => ({ ...entry, recordNumbers: bySeq.get(Number(entry.seq)) ?? [] }));
  });
}

export interface ReviewItem extends AccessEntry {
  resourceId: string | null;
  reason: string | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
}

/** What the review queue lists: access granted by admins or the operator, and every break-glass. */
const accessGranting = sql`${auditEvents.action} = 'grant' and ${auditEvents.outcome} = 'success'
  and (${auditEvents.actorRole} in ('admin', 'operator') or ${auditEvents.resourceType} = 'BreakGlass')`;

/**
 * The privacy officer's review queue: access-granting admin actions (staff accounts, care teams,
 * backend clients, hospital endpoints) and break-glass accesses from the audit trail, unreviewed first.
 */
export async function reviewQueue(actor: UserActor, limit = 200): Promise<ReviewItem[]> {
  assertCan(actor, "accessReview:manage");
  return audited(actor, { action: "search", resourceType: "AuditEvent", purpose: "oversight" }, async (tx) => {
    const reviewer = sql<string | null>`(select ${users.displayName} from ${users} where ${users.id} = ${accessReviews.reviewedByUserId})`;
    return tx
      .select({
        seq: auditEvents.seq,
        occurredAt: auditEvents.occurredAt,
        who: actorName,
        role: auditEvents.actorRole,
        actorKind: sql<string>`${auditEvents.actorKind}::text`,
        action: auditEvents.action,
        resourceType: auditEvents.resourceType,
        outcome: sql<string>`${auditEvents.outcome}::text`,
        breakGlass: sql<boolean>`${auditEvents.resourceType} = 'BreakGlass'`,
        resourceId: auditEvents.resourceId,
        reason: sql<string | null>`(select ${breakGlassGrants.reason} from ${breakGlassGrants} where ${breakGlassGrants.id}::text = ${auditEvents.resourceId})`,
        reviewedAt: accessReviews.reviewedAt,
        reviewedBy: reviewer,
      })
      .from(auditEvents)
      .leftJoin(users, and(eq(auditEvents.actorKind, "user"), sql`${users.id}::text = ${auditEvents.actorId}`))
      .leftJoin(backendClients, and(eq(auditEvents.actorKind, "backend-client"), sql`${backendClients.id}::text = ${auditEvents.actorId}`))
      .leftJoin(accessReviews, eq(accessReviews.auditSeq, auditEvents.seq))
      .where(and(sql`${auditEvents.organizationId} = ${actor.organizationId}`, accessGranting))
      .orderBy(sql`${accessReviews.reviewedAt} is not null`, desc(auditEvents.seq))
      .limit(limit);
  });
}

/** The privacy officer marks one queued event reviewed; events outside the queue do not exist for this. */
export async function markReviewed(actor: UserActor, input: unknown): Promise<void> {
  assertCan(actor, "accessReview:manage");
  const { auditSeq } = parseInput(reviewSchema, input);
  await audited(actor, { action: "update", resourceType: "AccessReview", purpose: "oversight" }, async (tx, trail) => {
    trail.resourceId = String(auditSeq);
    const [event] = await tx
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(and(eq(auditEvents.seq, auditSeq), sql`${auditEvents.organizationId} = ${actor.organizationId}`, accessGranting));
    if (!event) throw new AccessDenied("review item");
    await tx.insert(accessReviews).values({ auditSeq, reviewedByUserId: actor.userId }).onConflictDoNothing();
  });
}
