"use server";

import { headers } from "next/headers";
import { requestOriginOf } from "@/lib/access/origin";
import { verifyEmail } from "@/lib/auth/accounts";
import type { FormState } from "@/lib/form-state";
import { formOutcome } from "@/lib/http/form-action";

export async function verifyEmailAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const origin = requestOriginOf(await headers());
  return formOutcome(async () => {
    const { email } = await verifyEmail({ kind: "anonymous", origin }, String(formData.get("token") ?? ""));
    return `Your email is confirmed. Sign in with ${email} and the password you chose.`;
  }, {}, origin.requestId);
}
