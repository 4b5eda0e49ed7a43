"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { limitGuardianAccess, recordCompetenceAssessment } from "@/lib/people/competence";
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

export async function recordCompetenceAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await recordCompetenceAssessment(actor, Object.fromEntries(formData));
    revalidatePath(`/patients/${String(formData.get("patientId"))}/privacy`);
    return formData.get("competent") === "yes"
      ? "Recorded: the young person can now limit or end each guardian's access themselves."
      : "Recorded: the guardians' access stays as it is.";
  }, formValues(formData));
}

export async function limitGuardianAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { ended } = await limitGuardianAccess(actor, Object.fromEntries(formData));
    revalidatePath(`/patients/${String(formData.get("patientId"))}/privacy`);
    return ended ? "Done: they can no longer see your record." : "Done: they can see your record until the day you chose.";
  }, formValues(formData));
}
