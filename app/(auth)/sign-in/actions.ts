"use server";

import { AuthError } from "next-auth";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { CHALLENGE_MINUTES, SIGN_IN_CHALLENGE_COOKIE } from "@/lib/auth/mfa/challenge";
import { AccountUnavailableSignIn, SecondFactorRequired, signIn } from "@/lib/auth/next-auth";
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
  const redirectTo = safeRedirectPath(formData.get("callbackUrl"));
  try {
    await signIn("credentials", { email, password: String(formData.get("password") ?? ""), redirectTo });
    return { status: "success" };
  } catch (error) {
    if (error instanceof SecondFactorRequired) {
      // The password was right; the session waits for the code (the challenge is no session).
      (await cookies()).set(SIGN_IN_CHALLENGE_COOKIE, error.challenge, { httpOnly: true, sameSite: "strict", secure: await isHttps(), path: "/sign-in", maxAge: CHALLENGE_MINUTES * 60 });
      redirect(`/sign-in/code?${new URLSearchParams({ callbackUrl: redirectTo })}`);
    }
    // Said only to someone who typed the account's right password.
    if (error instanceof AccountUnavailableSignIn) return { status: "error", message: UNAVAILABLE[error.code], values: { email } };
    if (error instanceof AuthError) {
      // One answer for unknown email, wrong password and throttled account (no user enumeration).
      return { status: "error", message: "Email or password is incorrect.", values: { email } };
    }
    throw error; // the redirect after a successful sign-in
  }
}

const CODE_REFUSED = "That code is not right, or it was already used. Type the code your authenticator app shows now, or one of your recovery codes.";

/** The second step: the code from the authenticator app (or a recovery code) for the password accepted on the previous page. */
export async function signInCodeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const jar = await cookies();
  const challenge = jar.get(SIGN_IN_CHALLENGE_COOKIE)?.value;
  if (!challenge) return { status: "error", message: `More than ${CHALLENGE_MINUTES} minutes have passed since your password was accepted. Sign in again from the start.` };
  try {
    await signIn("credentials", { challenge, otp: String(formData.get("code") ?? ""), redirectTo: safeRedirectPath(formData.get("callbackUrl")) });
    return { status: "success" };
  } catch (error) {
    if (error instanceof AuthError) return { status: "error", message: CODE_REFUSED };
    jar.delete({ name: SIGN_IN_CHALLENGE_COOKIE, path: "/sign-in" });
    throw error; // the redirect after a successful sign-in
  }
}

/** Next.js sets x-forwarded-proto from the request it received (or the proxy in front of it). */
async function isHttps(): Promise<boolean> {
  return (await headers()).get("x-forwarded-proto") === "https";
}
