"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { decideConsent } from "@/lib/privacy/consent";
import { createPrivacyRequest } from "@/lib/privacy/requests";

/** One step either way: the button pressed carries the purpose and the decision. */
export async function decideConsentAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const record = await decideConsent(actor, patientId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}/sharing`);
    return record.decision === "permit" ? "Saved: this is now on." : "Saved: this is now off.";
  });
}

export async function privacyRequestAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { dueAt } = await createPrivacyRequest(actor, patientId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}/sharing`);
    return `Request sent. The clinic must answer by ${dueAt.toISOString().slice(0, 10)}.`;
  }, formValues(formData));
}
