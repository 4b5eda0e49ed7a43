"use server";

import { AuthError } from "next-auth";
import { AccountUnavailableSignIn, signIn } from "@/lib/auth/next-auth";
import type { FormState } from "@/lib/form-state";

/** Keeps only a same-site path from the callback URL, which also blocks open redirects. */
function safeRedirectPath(callbackUrl: FormDataEntryValue | null): string {
  if (typeof callbackUrl !== "string" || callbackUrl === "") return "/";
  try {
    const url = new URL(callbackUrl, "http://localhost");
    return url.pathname.startsWith("/") && !url.pathname.startsWith("//") ? `${url.pathname}${url.search}` : "/";
  } catch {
    return "/";
  }
}

const UNAVAILABLE: Record<AccountUnavailableSignIn["code"], string> = {
  "account-disabled": "This account has been disabled by an administrator of your organization. Ask them to enable it again.",
  "email-unverified": "Confirm your email address first: open the link we emailed you when you registered. No email? Register again with the same address to get a new link.",
};

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const email = String(formData.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(formData.get("password") ?? ""),
      redirectTo: safeRedirectPath(formData.get("callbackUrl")),
    });
    return { status: "success" };
  } catch (error) {
    // Said only to someone who typed the account's right password.
    if (error instanceof AccountUnavailableSignIn) return { status: "error", message: UNAVAILABLE[error.code], values: { email } };
    if (error instanceof AuthError) {
      // One answer for unknown email, wrong password and throttled account (no user enumeration).
      return { status: "error", message: "Email or password is incorrect.", values: { email } };
    }
    throw error; // the redirect after a successful sign-in
  }
}
