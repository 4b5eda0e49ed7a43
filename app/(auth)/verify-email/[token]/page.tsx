import type { Metadata } from "next";
import Link from "next/link";
import { describeEmailVerification } from "@/lib/auth/accounts";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };

/** The link emailed at self-registration: the account can sign in once its owner confirms. */
export default async function VerifyEmailPage({ params }: PageProps<"/verify-email/[token]">) {
  const { token } = await params;
  const verification = await describeEmailVerification(token);
  if (!verification) {
    return (
      <div className="panel">
        <h1>This link no longer works</h1>
        <p>
          It has expired or was already used. <Link href="/sign-in">Sign in</Link> if you confirmed your email already; otherwise{" "}
          <Link href="/register">register again</Link> with the same email to get a new link.
        </p>
      </div>
    );
  }
  return (
    <div className="panel">
      <h1>Confirm your email</h1>
      <p className="meta">For {verification.email}.</p>
      <VerifyEmailForm token={token} />
    </div>
  );
}
