"use server";

import { changePassword, setPreferredUnit } from "@/lib/auth/accounts";
import { currentSessionId } from "@/lib/auth/session";
import type { FormState } from "@/lib/form-state";
import { revalidatePath } from "next/cache";
import { formAction } from "@/lib/http/form-action";

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await changePassword(actor, Object.fromEntries(formData), await currentSessionId());
    return "Your password is changed. Every other session of your account has ended; this one stays signed in.";
  });
}

export async function unitPreferenceAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const unit = await setPreferredUnit(actor, Object.fromEntries(formData));
    revalidatePath("/", "layout");
    return unit ? `Glucose is shown in ${unit} on every patient's pages.` : "Glucose is shown in each patient's own unit.";
  });
}
