import "server-only";
import { and, eq, isNull, notExists } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { revokedSessions, users } from "@/db/schema";
import type { RequestOrigin, UserActor } from "@/lib/access/actor";
import { requestOriginOf } from "@/lib/access/origin";
import { recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { mustSetUpSecondFactor } from "./mfa/second-factor";
import { auth } from "./next-auth";

/** One origin per page render or server action (React's per-request cache). */
const pageOrigin = cache(async (): Promise<RequestOrigin> => requestOriginOf(await headers()));

/**
 * The signed-in user as an actor, read fresh from the database on every request; null if none,
 * if the account is disabled, if this session was signed out, or while a role that must use a
 * second factor has not set up its authenticator (that session opens only the set-up page,
 * `requireActorForMfaSetup`). Pages and server actions call it without an origin (one per
 * render); the API doors pass theirs.
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
  const [user] = await getDb()
    .select({ id: users.id, role: users.role, organizationId: users.organizationId, displayName: users.displayName })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        isNull(users.disabledAt),
        notExists(getDb().select({ id: revokedSessions.sessionId }).from(revokedSessions).where(eq(revokedSessions.sessionId, sessionId))),
      ),
    );
  if (!user) return null;
  return { kind: "user", userId: user.id, role: user.role, organizationId: user.organizationId, displayName: user.displayName, origin };
}

/** For pages and actions that need a signed-in user: anonymous visitors go to sign in. */
export async function requireActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect((await mustSetUpMfa()) ? MFA_SETUP_PATH : "/sign-in");
  return actor;
}

/** Ends the current session on the server: its cookie, wherever it still exists, no longer signs in. */
export async function revokeCurrentSession(): Promise<void> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId || !session.sessionId) return;
  const actor = await currentActor();
  const maxLifetimeMs = environment().LANTERN_SESSION_MAX_HOURS * 3_600_000;
  await getDb().transaction(async (tx) => {
    await tx
      .insert(revokedSessions)
      .values({ sessionId: session.sessionId!, userId, expiresAt: new Date((session.signedInAt ?? Date.now()) + maxLifetimeMs) })
      .onConflictDoNothing();
    if (actor) await recordAudit(tx, actor, { action: "sign-out", resourceType: "Session", outcome: "success" });
  });
}
