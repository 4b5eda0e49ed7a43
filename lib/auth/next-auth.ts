import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { requestOriginOf } from "@/lib/access/origin";
import { AccountUnavailable, authenticate } from "./authenticate";
import { authConfig } from "./config";
import { startSession } from "./session";

/** The right password for an account that may not sign in; `code` says why (the sign-in page explains). */
export class AccountUnavailableSignIn extends CredentialsSignin {
  constructor(override readonly code: AccountUnavailable["reason"]) {
    super();
  }
}

const credentialsSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });

/** next-auth with the credentials provider: the session cookie's issuer and reader. */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig(),
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) throw new CredentialsSignin();
        const result = await authenticate(parsed.data.email, parsed.data.password, requestOriginOf(request.headers)).catch((error: unknown) => {
          throw error instanceof AccountUnavailable ? new AccountUnavailableSignIn(error.reason) : error;
        });
        if (!result) throw new CredentialsSignin();
        return { id: result.userId, sessionId: await startSession(result.userId) };
      },
    }),
  ],
}));
