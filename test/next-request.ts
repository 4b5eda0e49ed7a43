import "./next-async-storage";
import { encode } from "next-auth/jwt";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external.js";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";
import { RequestCookies, ResponseCookies } from "next/dist/server/web/spec-extension/cookies.js";
import { authSecret } from "@/lib/config";
import { startSession } from "@/lib/auth/session";

/**
 * Runs `work` as Next.js runs a page render or a server action: inside a request scope whose
 * headers carry `cookie`. next-auth's `auth()`, `headers()` and `revalidatePath()` then behave as
 * they do in the server, so a test reaches pages and server actions through the real session
 * check (lib/auth/session.ts) with a real signed session cookie.
 */
export async function inRequestScope<T>(cookie: string | null, work: () => Promise<T>): Promise<T> {
  const headers = new Headers({ host: "lantern.test", "x-forwarded-proto": "http" });
  if (cookie) headers.set("cookie", cookie);
  const workStore = { route: "/authorization-sweep", isStaticGeneration: false, forceStatic: false, dynamicShouldError: false, pendingRevalidatedTags: [], pendingRevalidates: {}, pendingRevalidateWrites: [], incrementalCache: {}, page: "/authorization-sweep" };
  const responseCookies = new ResponseCookies(new Headers());
  const requestStore = { type: "request", phase: "action", headers, cookies: new RequestCookies(headers), mutableCookies: responseCookies, userspaceMutableCookies: responseCookies, implicitTags: { tags: [], expirationsByCacheKind: new Map() }, url: { pathname: "/", search: "" } };
  return workAsyncStorage.run(workStore as never, () => workUnitAsyncStorage.run(requestStore as never, work));
}

/** The session cookie next-auth issues at sign-in for `userId` (lib/auth/config.ts's JWT). */
export async function sessionCookieFor(userId: string): Promise<string> {
  const name = "authjs.session-token";
  // Sessions live on the server (lib/auth/session.ts): the cookie names a session row, as a sign-in makes one.
  const token = await encode({ secret: authSecret(), salt: name, token: { sub: userId, signedInAt: Date.now(), sid: await startSession(userId) } });
  return `${name}=${token}`;
}
