import type { Metadata } from "next";
import Link from "next/link";
import { CodeForm } from "./code-form";

export const metadata: Metadata = { title: "Sign-in code" };

export default async function SignInCodePage({ searchParams }: PageProps<"/sign-in/code">) {
  const { callbackUrl } = await searchParams;
  return (
    <div className="panel">
      <h1>Type your sign-in code</h1>
      <p>Your password is right. Open the authenticator app on your phone and type the 6-digit code it shows for Lantern. Without your phone, type one of your recovery codes (each works once).</p>
      <CodeForm callbackUrl={typeof callbackUrl === "string" ? callbackUrl : "/"} />
      <p>
        <Link href="/sign-in">Start again</Link>
      </p>
    </div>
  );
}
