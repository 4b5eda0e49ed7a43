"use server";

import { headers } from "next/headers";
import { requestOriginOf } from "@/lib/access/origin";
import type { FormState } from "@/lib/form-state";
import { formOutcome } from "@/lib/http/form-action";
import { acceptInvitation } from "@/lib/people/invitations";

export async function setPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const origin = requestOriginOf(await headers());
  return formOutcome(async () => {
    const { email } = await acceptInvitation({ kind: "anonymous", origin }, String(formData.get("token") ?? ""), Object.fromEntries(formData));
    return `Your password is set. Sign in with ${email} and your new password.`;
  }, {}, origin.requestId);
}
