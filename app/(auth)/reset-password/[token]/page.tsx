import type { Metadata } from "next";
import Link from "next/link";
import { describePasswordReset } from "@/lib/auth/accounts";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

/** The emailed one-time reset link. */
export default async function ResetPasswordPage({ params }: PageProps<"/reset-password/[token]">) {
  const { token } = await params;
  const reset = await describePasswordReset(token);
  if (!reset) {
    return (
      <div className="panel">
        <h1>This link no longer works</h1>
        <p>
          It has expired or was already used. <Link href="/forgot-password">Ask for a new link</Link>, or <Link href="/sign-in">sign in</Link> if you
          already chose your new password.
        </p>
      </div>
    );
  }
  return (
    <div className="panel">
      <h1>Choose a new password</h1>
      <p className="meta">For {reset.email}. Every session of this account ends when you save it.</p>
      <ResetPasswordForm token={token} />
    </div>
  );
}
