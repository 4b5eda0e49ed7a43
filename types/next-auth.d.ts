import "next-auth";

declare module "next-auth" {
  interface Session {
    /** The server-held session (user_sessions); the request is signed in only while its row exists. */
    sessionId?: string;
    signedInAt?: number;
  }
  interface User {
    /** Set by the credentials provider when it opens the session at sign-in. */
    sessionId?: string;
  }
}
