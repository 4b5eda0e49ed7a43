import type { Metadata } from "next";
import Link from "next/link";
import { describeInvitation } from "@/lib/people/invitations";
import { SetPasswordForm } from "./set-password-form";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer" };

/** The emailed one-time link: the invited person chooses their own password. */
export default async function InvitationPage({ params }: PageProps<"/invitation/[token]">) {
  const { token } = await params;
  const invitation = await describeInvitation(token);
  if (!invitation) {
    return (
      <div className="panel">
        <h1>This link no longer works</h1>
        <p>It has expired or was already used. Ask your clinic to send a new invitation, or <Link href="/sign-in">sign in</Link> if you already set your password.</p>
      </div>
    );
  }
  return (
    <div className="panel">
      <h1>Set your password</h1>
      <p className="meta">
        For {invitation.displayName} ({invitation.email}). Only you will know it: nobody at the clinic can see it.
      </p>
      <SetPasswordForm token={token} />
    </div>
  );
}
