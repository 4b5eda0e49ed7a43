import "server-only";
import type { NextRequest } from "next/server";
import { requestOriginOf } from "@/lib/access/origin";
import { handlers } from "./next-auth";
import { currentActor, revokeCurrentSession } from "./session";

const endpointOf = (request: NextRequest) => new URL(request.url).pathname.replace(/\/+$/, "").split("/").at(-1);

/**
 * Auth.js's own endpoints (/api/auth/*), held to the same rules as Lantern's: signing out there
 * revokes the session on the server too (its cookie, copied anywhere, no longer signs in), and
 * the session endpoint answers a revoked session, or a disabled account's, as signed out
 * (`null`, as Auth.js answers no session) instead of re-issuing its cookie.
 */
export const authRoutes = {
  async GET(request: NextRequest): Promise<Response> {
    if (endpointOf(request) === "session" && !(await currentActor(requestOriginOf(request.headers)))) {
      return Response.json(null, { headers: { "Cache-Control": "no-store" } });
    }
    return handlers.GET(request);
  },
  async POST(request: NextRequest): Promise<Response> {
    if (endpointOf(request) === "signout") await revokeCurrentSession();
    return handlers.POST(request);
  },
};
