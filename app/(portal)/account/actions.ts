"use server";

import { changePassword } from "@/lib/auth/accounts";
import { currentSessionId } from "@/lib/auth/session";
import type { FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await changePassword(actor, Object.fromEntries(formData), await currentSessionId());
    return "Your password is changed. Every other session of your account has ended; this one stays signed in.";
  });
}
