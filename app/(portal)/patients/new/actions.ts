"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction, siteOrigin } from "@/lib/http/form-action";
import { registerPatientByClinic } from "@/lib/people/registration";

export async function registerPatientAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const result = await registerPatientByClinic(actor, Object.fromEntries(formData), await siteOrigin());
    revalidatePath("/clinician");
    revalidatePath("/admin");
    const invited = result.invited.length ? ` We emailed ${result.invited.join(" and ")} a link to set their own password.` : "";
    const waiting = result.guardiansConfirmed ? "" : " The guardians get access once a clinician of the care team confirms them.";
    return `Patient registered.${invited}${waiting}`;
  }, formValues(formData));
}
