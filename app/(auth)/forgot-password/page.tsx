import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="panel">
      <h1>Forgot your password?</h1>
      <p className="meta">Type the email you sign in with. We email you a link to choose a new password; choosing one signs your account out everywhere.</p>
      <ForgotPasswordForm />
      <p>
        <Link href="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}
