import NextAuth from "next-auth";
import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";
import { contentSecurityNonce, pageContentSecurityPolicy } from "@/lib/security/content-security-policy";

const { auth } = NextAuth(authConfig);

/** Pages anyone may open. */
const PUBLIC_PAGES = /^\/(sign-in|register|invitation|forgot-password|reset-password|verify-email)(\/|$)/;

/**
 * Every page request passes here. It gives the page its Content-Security-Policy with a fresh
 * nonce (Next.js reads the nonce from the request's policy and puts it on its scripts), and sends
 * anonymous visitors of non-public pages to `/sign-in`: an optimistic check only, every page,
 * action and route authorizes again in the data layer. Auth.js re-issues the session cookie here
 * (the inactivity timeout).
 */
const pageProxy = auth((request) => {
  const policy = pageContentSecurityPolicy(contentSecurityNonce(), { development: process.env.NODE_ENV === "development" });
  let response: NextResponse;
  if (!request.auth?.user && !PUBLIC_PAGES.test(request.nextUrl.pathname)) {
    const signIn = request.nextUrl.clone();
    signIn.pathname = "/sign-in";
    signIn.search = "";
    signIn.searchParams.set("callbackUrl", request.nextUrl.href);
    response = NextResponse.redirect(signIn);
  } else {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", policy);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set("Content-Security-Policy", policy);
  return response;
});

type ProxyHandler = (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

// With its configuration given as a function (read at start, not at build), Auth.js hands the
// wrapped handler back in a promise.
export async function proxy(request: NextRequest, event: NextFetchEvent): Promise<Response> {
  const handler = await (pageProxy as unknown as ProxyHandler | Promise<ProxyHandler>);
  return handler(request, event);
}

export const config = {
  // API and FHIR routes authenticate their own callers (session, device token, uploader secret,
  // SMART token) and carry the non-page policy from next.config.ts.
  matcher: ["/((?!api/|fhir|sign-out|_next/static|_next/image|favicon.ico|icon.svg|\\.well-known|healthz|readyz).*)"],
};
