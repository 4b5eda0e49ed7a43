"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, formValues, type FormState } from "@/lib/form-state";
import { addManualReading, correctManualReading } from "@/lib/readings/manual-entry";

export async function addReadingAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await addManualReading(actor, patientId, Object.fromEntries(formData));
  } catch (error) {
    return formStateFromError(error, formValues(formData));
  }
  revalidatePath(`/patients/${patientId}`);
  return { status: "success", message: "Reading saved." };
}

export async function correctReadingAction(patientId: string, readingId: number, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    const { version } = await correctManualReading(actor, patientId, readingId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}`, "layout");
    return { status: "success", message: `Correction saved as version ${version}; the earlier version is kept below.` };
  } catch (error) {
    return formStateFromError(error, formValues(formData));
  }
}
