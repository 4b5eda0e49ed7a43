import "server-only";
import { and, eq, isNull, ne } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb, type Transaction } from "@/db/client";
import { userSessions, users } from "@/db/schema";
import type { RequestOrigin, UserActor } from "@/lib/access/actor";
import { requestOriginOf } from "@/lib/access/origin";
import { recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { generateToken } from "@/lib/security/tokens";
import { mustSetUpSecondFactor } from "./mfa/second-factor";
import { auth } from "./next-auth";
import { activityIsStale, sessionState, type SessionLimits } from "./session-rules";

/** One origin per page render or server action (React's per-request cache). */
const pageOrigin = cache(async (): Promise<RequestOrigin> => requestOriginOf(await headers()));

export function sessionLimits(): SessionLimits {
  const env = environment();
  return { idleMinutes: env.LANTERN_SESSION_IDLE_MINUTES, clinicalIdleMinutes: env.LANTERN_CLINICAL_SESSION_IDLE_MINUTES, maxHours: env.LANTERN_SESSION_MAX_HOURS };
}

/**
 * Opens a session at sign-in: its row is what keeps it signed in (db/schema/users.ts
 * userSessions); the returned id goes into the JWT cookie. 256 random bits.
 */
export async function startSession(userId: string, now = new Date()): Promise<string> {
  const id = generateToken("ses");
  await getDb()
    .insert(userSessions)
    .values({ id, userId, startedAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + sessionLimits().maxHours * 3_600_000) });
  return id;
}

/**
 * The signed-in user as an actor, read fresh from the database on every request; null if none,
 * if the account is disabled, if this session ended (signed out, ended everywhere, idle too long,
 * past its lifetime), or while a role that must use a second factor has not set up its
 * authenticator (that session opens only the set-up page, `requireActorForMfaSetup`). Pages and
 * server actions call it without an origin (one per render); the API doors pass theirs.
 */
export async function currentActor(origin?: RequestOrigin): Promise<UserActor | null> {
  const signedIn = await (origin ? loadSignedIn(origin) : cachedPageSignedIn());
  return signedIn && !signedIn.mustSetUpMfa ? signedIn.actor : null;
}

const cachedPageSignedIn = cache(async () => loadSignedIn(await pageOrigin()));

/** Where a signed-in clinician, admin or privacy officer without an authenticator is confined. */
export const MFA_SETUP_PATH = "/account/two-step";

/** The set-up page and its actions: any signed-in user, including one confined to it. */
export async function requireActorForMfaSetup(): Promise<UserActor> {
  const signedIn = await cachedPageSignedIn();
  if (!signedIn) redirect("/sign-in");
  return signedIn.actor;
}

/** True when this session is confined to setting up an authenticator (pages without an origin, API doors with theirs). */
export async function mustSetUpMfa(origin?: RequestOrigin): Promise<boolean> {
  return (await (origin ? loadSignedIn(origin) : cachedPageSignedIn()))?.mustSetUpMfa ?? false;
}

async function loadSignedIn(origin: RequestOrigin): Promise<{ actor: UserActor; mustSetUpMfa: boolean } | null> {
  const actor = await loadActor(origin);
  return actor && { actor, mustSetUpMfa: await mustSetUpSecondFactor(actor) };
}

async function loadActor(origin: RequestOrigin): Promise<UserActor | null> {
  const session = await auth();
  const userId = session?.user?.id;
  const sessionId = session?.sessionId;
  if (!userId || !sessionId) return null;
  return actorOfSession(userId, sessionId, origin);
}

/**
 * The session's user when the session is still open at `now`, recording this request as its latest
 * activity (unless "no-activity": a long-lived stream re-checking its session is no person acting). A session found idle or past its lifetime is ended here (its row deleted), so it stays
 * ended whatever the clock says next.
 */
export async function actorOfSession(userId: string, sessionId: string, origin: RequestOrigin, now = new Date(), activity: "request" | "no-activity" = "request"): Promise<UserActor | null> {
  const db = getDb();
  const [row] = await db
    .select({
      id: users.id,
      role: users.role,
      organizationId: users.organizationId,
      displayName: users.displayName,
      startedAt: userSessions.startedAt,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(users.disabledAt)));
  if (!row) return null;
  if (sessionState(row, row.role, sessionLimits(), now) !== "open") {
    await db.delete(userSessions).where(eq(userSessions.id, sessionId));
    return null;
  }
  if (activity === "request" && activityIsStale(row.lastSeenAt, now)) await db.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, sessionId));
  return { kind: "user", userId: row.id, role: row.role, organizationId: row.organizationId, displayName: row.displayName, origin };
}

/** For pages and actions that need a signed-in user: anonymous visitors go to sign in. */
export async function requireActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect((await mustSetUpMfa()) ? MFA_SETUP_PATH : "/sign-in");
  return actor;
}

/** The id of the session this request belongs to, for ending every other one. */
export async function currentSessionId(): Promise<string | null> {
  return (await auth())?.sessionId ?? null;
}

/**
 * Ends sessions of a user inside the caller's transaction: all of them, or all but `keep` (the
 * one changing its own password). Their cookies, wherever they are, no longer sign in.
 */
export async function endSessionsOf(tx: Transaction, userId: string, keep: string | null = null): Promise<number> {
  const ended = await tx
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), keep ? ne(userSessions.id, keep) : undefined))
    .returning({ id: userSessions.id });
  return ended.length;
}

/** Ends the current session on the server: its cookie, wherever it still exists, no longer signs in. */
export async function revokeCurrentSession(): Promise<void> {
  const sessionId = await currentSessionId();
  if (!sessionId) return;
  const actor = (await cachedPageSignedIn())?.actor;
  await getDb().transaction(async (tx) => {
    await tx.delete(userSessions).where(eq(userSessions.id, sessionId));
    if (actor) await recordAudit(tx, actor, { action: "sign-out", resourceType: "Session", outcome: "success" });
  });
}
