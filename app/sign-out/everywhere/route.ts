import { signOutEverywhere } from "@/lib/auth/accounts";
import { signOut } from "@/lib/auth/next-auth";
import { currentActor } from "@/lib/auth/session";

/**
 * "Sign out everywhere": ends every session of the account on the server (other browsers and
 * devices are signed out at their next request), then deletes this browser's cookie. Outside the
 * proxy's matcher like /sign-out, so this request does not re-issue the cookie it deletes.
 */
export async function POST() {
  const actor = await currentActor();
  if (actor) await signOutEverywhere(actor);
  await signOut({ redirectTo: "/sign-in" });
}
