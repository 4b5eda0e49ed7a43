import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { requestOriginOf } from "@/lib/access/origin";
import { AccountUnavailable, authenticate, authenticateSecondStep } from "./authenticate";
import { authConfig } from "./config";
import { issueSignInChallenge, readSignInChallenge } from "./mfa/challenge";
import { startSession } from "./session";

/** The right password for an account that may not sign in; `code` says why (the sign-in page explains). */
export class AccountUnavailableSignIn extends CredentialsSignin {
  constructor(override readonly code: AccountUnavailable["reason"]) {
    super();
  }
}

const optionalCode = z
  .string()
  .max(64)
  .optional()
  .transform((code) => (code?.trim() ? code.trim() : undefined));
/** Email and password, with the second factor (`otp`: a TOTP code or a recovery code) in the same request when the account has one. */
const passwordSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024), otp: optionalCode });
/** The browser's second step: the signed challenge the password step left, and the code. */
const codeStepSchema = z.object({ challenge: z.string().min(1).max(2048), otp: z.string().trim().min(1).max(64) });

/**
 * The password was right, but the account has an authenticator and no code came with it: no
 * session. The sign-in form's action catches this and sends the browser to the code page with the
 * challenge; a script posting to /api/auth/callback/credentials is sent to the sign-in page with
 * `code=second-factor-required` and should send `otp` along.
 */
export class SecondFactorRequired extends CredentialsSignin {
  override code = "second-factor-required";
  constructor(readonly challenge: string) {
    super();
  }
}

/** next-auth with the credentials provider: the session cookie's issuer and reader. */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig(),
  providers: [
    Credentials({
      credentials: { email: {}, password: {}, otp: {}, challenge: {} },
      async authorize(credentials, request) {
        const origin = requestOriginOf(request.headers);
        const codeStep = codeStepSchema.safeParse(credentials);
        if (codeStep.success) {
          const userId = await readSignInChallenge(codeStep.data.challenge);
          const result = userId ? await authenticateSecondStep(userId, codeStep.data.otp, origin) : null;
          if (!result) throw new CredentialsSignin();
          return { id: result.userId, sessionId: await startSession(result.userId) };
        }
        const parsed = passwordSchema.safeParse(credentials);
        if (!parsed.success) throw new CredentialsSignin();
        const result = await authenticate(parsed.data.email, parsed.data.password, origin, parsed.data.otp).catch((error: unknown) => {
          throw error instanceof AccountUnavailable ? new AccountUnavailableSignIn(error.reason) : error;
        });
        if (!result) throw new CredentialsSignin();
        if (result.secondFactorRequired) throw new SecondFactorRequired(await issueSignInChallenge(result.userId));
        return { id: result.userId, sessionId: await startSession(result.userId) };
      },
    }),
  ],
}));
