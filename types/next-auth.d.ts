import "next-auth";

declare module "next-auth" {
  interface Session {
    /** Random per sign-in; revoked on sign-out (revoked_sessions). */
    sessionId?: string;
    signedInAt?: number;
  }
}
