"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, formValues, type FormState } from "@/lib/form-state";
import { addManualReading } from "@/lib/readings/manual-entry";

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
