"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { addManualReading, correctManualReading } from "@/lib/readings/manual-entry";

export async function addReadingAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await addManualReading(actor, patientId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}`);
    return "Reading saved.";
  }, formValues(formData));
}

export async function correctReadingAction(patientId: string, readingId: number, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { version, changed } = await correctManualReading(actor, patientId, readingId, Object.fromEntries(formData));
    if (!changed) return "Nothing changed: the reading already says this.";
    revalidatePath(`/patients/${patientId}`, "layout");
    return `Correction saved as version ${version}; the earlier version is kept below.`;
  }, formValues(formData));
}
