import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { authenticate } from "@/lib/auth/authenticate";

const credentialsSchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig(),
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) throw new CredentialsSignin();
        const sourceAddress = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "unknown";
        const result = await authenticate(parsed.data.email, parsed.data.password, sourceAddress);
        if (!result) throw new CredentialsSignin();
        return { id: result.userId };
      },
    }),
  ],
}));
