"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { confirmGuardianLink, renewGuardianLink } from "@/lib/people/registration";

export async function confirmGuardianAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await confirmGuardianLink(actor, Object.fromEntries(formData));
    revalidatePath(`/patients/${String(formData.get("patientId"))}/privacy`);
    return "Guardian confirmed: they can now see this record.";
  }, formValues(formData));
}

export async function renewGuardianAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await renewGuardianLink(actor, Object.fromEntries(formData));
    revalidatePath(`/patients/${String(formData.get("patientId"))}/privacy`);
    return "Guardian access renewed.";
  }, formValues(formData));
}
