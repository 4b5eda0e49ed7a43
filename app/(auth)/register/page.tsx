import type { Metadata } from "next";
import Link from "next/link";
import { RegisterForm } from "./register-form";

export const metadata: Metadata = { title: "Create an account" };

export default function RegisterPage() {
  return (
    <div className="panel">
      <h1>Create a patient account</h1>
      <p className="meta">For adults (18 or over) with diabetes. Children are registered by their clinic with a parent or guardian.</p>
      <RegisterForm timeZones={Intl.supportedValuesOf("timeZone")} defaultTimeZone="Europe/London" />
      <p>
        Already registered? <Link href="/sign-in">Sign in</Link>
      </p>
    </div>
  );
}
