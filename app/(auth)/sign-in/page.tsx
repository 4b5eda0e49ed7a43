import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor, MFA_SETUP_PATH, mustSetUpMfa } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  if (await currentActor()) redirect("/");
  if (await mustSetUpMfa()) redirect(MFA_SETUP_PATH);
  const { callbackUrl } = await searchParams;
  return (
    <div className="panel">
      <h1>Sign in to Lantern</h1>
      <SignInForm callbackUrl={typeof callbackUrl === "string" ? callbackUrl : "/"} />
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New patient? <Link href="/register">Create an account</Link>
      </p>
    </div>
  );
}
