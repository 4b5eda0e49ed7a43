"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { acknowledgeAlert, resolveAlert } from "@/lib/monitoring/inbox";

export async function acknowledgeAlertAction(alertId: number, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await acknowledgeAlert(actor, alertId, Object.fromEntries(formData));
    revalidatePath("/clinician/alerts");
    return "Acknowledged.";
  }, formValues(formData));
}

export async function resolveAlertAction(alertId: number): Promise<FormState> {
  return formAction(async (actor) => {
    await resolveAlert(actor, alertId);
    revalidatePath("/clinician/alerts");
    return "Resolved.";
  });
}
