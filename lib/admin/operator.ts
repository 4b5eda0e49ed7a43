import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { organizations } from "@/db/schema";
import { internalOrigin, type SystemActor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/** The operator at the server's shell (`npm run admin`), acting in one existing organization. */
export async function operatorIn(organizationId: string): Promise<SystemActor> {
  const [organization] = isUuid(organizationId) ? await getDb().select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId)) : [];
  if (!organization) throw new AppError("not_found", `No organization has the id ${JSON.stringify(organizationId)}.`);
  return { kind: "system", job: "operator", organizationId: organization.id, origin: internalOrigin() };
}
