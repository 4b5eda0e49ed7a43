import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";

// An optimistic first check only: anonymous visitors go to the sign-in page. Every page, action
// and route authorizes again in the data layer.
const { auth } = NextAuth(authConfig);
export { auth as proxy };

export const config = {
  // API and FHIR routes authenticate their own callers (session, device token, uploader secret, SMART token).
  matcher: ["/((?!api/|fhir|sign-in|sign-out|register|_next/static|_next/image|favicon.ico|icon.svg|.well-known).*)"],
};
