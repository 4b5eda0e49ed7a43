import { signOut } from "@/lib/auth/next-auth";
import { revokeCurrentSession } from "@/lib/auth/session";

/**
 * Revokes the session on the server, then deletes its cookie. Outside the proxy's matcher, so
 * this request does not re-issue the cookie it deletes. SameSite=Lax cookies keep other sites
 * from posting here signed in.
 */
export async function POST() {
  await revokeCurrentSession();
  await signOut({ redirectTo: "/sign-in" });
}
