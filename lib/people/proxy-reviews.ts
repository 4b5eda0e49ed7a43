import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { getDb, rowsOf, type Database } from "@/db/client";
import { careTeamTasks, patients } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { AccessDenied } from "@/lib/errors";
import { startPeriodicJob } from "@/lib/periodic";
import { parseInput } from "@/lib/validation";
import { careTeamTaskSchema } from "./schemas";

/**
 * Proxy reviews (PRIVACY-SECURITY.md B; docs/privacy.md): at each birthday of
 * LANTERN_PROXY_REVIEW_AGES (default 11 and 16) of a child with a confirmed guardian, the care
 * team gets a task to review who acts for the child, as the child's say grows with age.
 */

/**
 * Creates the proxy reviews due on `now`'s UTC day: one per child per configured birthday that
 * fell while a confirmed guardian link existed (a child registered at 12 has no review for 11:
 * the clinician who confirmed the guardian has just reviewed it). The unique index makes each
 * review exist once, whichever process or round creates it first; rounds are idempotent. Returns
 * how many were created.
 */
export async function createDueProxyReviews(now = new Date(), ages: readonly number[] = environment().LANTERN_PROXY_REVIEW_AGES, db: Database = getDb()): Promise<number> {
  if (ages.length === 0) return 0;
  const today = now.toISOString().slice(0, 10);
  const created = rowsOf<{ id: string }>(
    await db.execute(sql`
      insert into care_team_tasks (patient_id, kind, age_years, due_on)
      select p.id, 'proxy-review', review.age, (p.birth_date + make_interval(years => review.age))::date
      from patients p cross join unnest(${sql.param([...ages])}::int[]) as review(age)
      where (p.birth_date + make_interval(years => review.age))::date <= ${today}::date
        and exists (select 1 from guardian_links g
          where g.patient_id = p.id and g.confirmed_at is not null and g.ended_by_patient_at is null
            and g.confirmed_at::date <= (p.birth_date + make_interval(years => review.age))::date)
      on conflict (patient_id, kind, age_years) do nothing
      returning id`),
  );
  return created.length;
}

/** Started once per server process; the unique index decides who creates what. */
export function startProxyReviewJob(intervalMs = 60 * 60_000): void {
  startPeriodicJob("proxy-reviews", intervalMs, () => createDueProxyReviews(), { runAtStart: true });
}

export interface CareTeamTask {
  id: string;
  kind: "proxy-review";
  patientId: string;
  patientName: string;
  ageYears: number;
  dueOn: string;
}

/** The open tasks of the clinician's care teams (not of patients they only broke the glass for), oldest first. */
export async function listCareTeamTasks(actor: UserActor): Promise<CareTeamTask[]> {
  assertCan(actor, "careTask:handle");
  return audited(actor, { action: "search", resourceType: "Task" }, async (tx, trail) => {
    const rows = await tx
      .select({
        id: careTeamTasks.id,
        kind: careTeamTasks.kind,
        patientId: careTeamTasks.patientId,
        patientName: sql<string>`${patients.givenName} || ' ' || ${patients.familyName}`,
        ageYears: careTeamTasks.ageYears,
        dueOn: careTeamTasks.dueOn,
      })
      .from(careTeamTasks)
      .innerJoin(patients, eq(patients.id, careTeamTasks.patientId))
      .where(and(isNull(careTeamTasks.completedAt), patientVisibleTo(actor, "write")))
      .orderBy(asc(careTeamTasks.dueOn), asc(careTeamTasks.id));
    trail.touch(...rows.map((row) => row.patientId));
    return rows;
  });
}

/** A clinician of the care team marks a task done (audited); someone else's task does not exist for them. */
export async function completeCareTeamTask(actor: UserActor, input: unknown, now = new Date()): Promise<void> {
  assertCan(actor, "careTask:handle");
  const { taskId } = parseInput(careTeamTaskSchema, input);
  await audited(actor, { action: "update", resourceType: "Task" }, async (tx, trail) => {
    trail.resourceId = taskId;
    const [task] = await tx
      .select({ patientId: careTeamTasks.patientId })
      .from(careTeamTasks)
      .innerJoin(patients, eq(patients.id, careTeamTasks.patientId))
      .where(and(eq(careTeamTasks.id, taskId), isNull(careTeamTasks.completedAt), patientVisibleTo(actor, "write")))
      .for("update", { of: careTeamTasks });
    if (!task) throw new AccessDenied("open task");
    trail.touch(task.patientId);
    await tx.update(careTeamTasks).set({ completedAt: now, completedByUserId: actor.userId }).where(eq(careTeamTasks.id, taskId));
  });
}
