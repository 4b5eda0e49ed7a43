import type { NextAuthConfig } from "next-auth";
import { authSecret, environment } from "@/lib/config";

/**
 * The part of the auth configuration the proxy needs: no database, no password hashing.
 * Sessions are JWTs that carry only the user id and the sign-in time; the role and organization
 * are read from the database on every request (lib/auth/session.ts), so a disabled account or a
 * changed role takes effect at once. A function, so the environment is read when the server
 * starts rather than when `next build` loads the module.
 */
export const authConfig = () =>
  ({
  secret: authSecret(),
  trustHost: true,
  pages: { signIn: "/sign-in" },
  session: {
    strategy: "jwt",
    // Every request through the proxy re-issues the cookie, so it expires this long after the last
    // request: the longest inactivity limit of any role. The server holds each session and ends it
    // at its own role's limit (lib/auth/session.ts, HIPAA 164.312(a)(2)(iii) automatic logoff).
    maxAge: Math.max(environment().LANTERN_SESSION_IDLE_MINUTES, environment().LANTERN_CLINICAL_SESSION_IDLE_MINUTES) * 60,
    updateAge: 0,
  },
  providers: [],
  callbacks: {
    authorized({ auth }) {
      // The proxy only turns anonymous visitors away; authorization happens in the data layer.
      return Boolean(auth?.user);
    },
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.signedInAt = Date.now();
        // The server-held session opened at sign-in (lib/auth/session.ts startSession).
        token.sid = user.sessionId;
      }
      const absoluteLimitMs = environment().LANTERN_SESSION_MAX_HOURS * 3_600_000;
      if (typeof token.signedInAt !== "number" || Date.now() - token.signedInAt > absoluteLimitMs) return null;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.sid === "string") session.sessionId = token.sid;
      if (typeof token.signedInAt === "number") session.signedInAt = token.signedInAt;
      return session;
    },
  },
  logger: {
    // Wrong passwords are expected; keep their stack traces (and any detail) out of the logs.
    error(error) {
      // Minified builds rename classes, so compare Auth.js's own error type, not the class name.
      const type = (error as { type?: string }).type ?? error.name;
      if (type === "CredentialsSignin") return;
      console.error(`[auth] ${type}: ${error.message}`);
    },
  },
}) satisfies NextAuthConfig;
