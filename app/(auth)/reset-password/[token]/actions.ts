"use server";

import { headers } from "next/headers";
import { requestOriginOf } from "@/lib/access/origin";
import { resetPassword } from "@/lib/auth/accounts";
import type { FormState } from "@/lib/form-state";
import { formOutcome } from "@/lib/http/form-action";

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const origin = requestOriginOf(await headers());
  return formOutcome(async () => {
    const { email } = await resetPassword({ kind: "anonymous", origin }, String(formData.get("token") ?? ""), Object.fromEntries(formData));
    return `Your new password is set and every session of your account has ended. Sign in with ${email} and your new password.`;
  }, {}, origin.requestId);
}
