import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { UserActor } from "./actor";

/** The signed-in user as an actor, read fresh from the database once per request; null if none. */
export const currentActor = cache(async (): Promise<UserActor | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const [user] = await getDb()
    .select({ id: users.id, role: users.role, organizationId: users.organizationId, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  if (!user) return null;
  return { kind: "user", userId: user.id, role: user.role, organizationId: user.organizationId, displayName: user.displayName };
});

/** For pages and actions that need a signed-in user: anonymous visitors go to sign in. */
export async function requireActor(): Promise<UserActor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  return actor;
}
