"use server";

import { redirect } from "next/navigation";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { startBreakGlass } from "@/lib/oversight/break-glass";

export async function breakGlassAction(_previous: FormState, formData: FormData): Promise<FormState> {
  let opened: string | null = null;
  const outcome = await formAction(async (actor) => {
    opened = (await startBreakGlass(actor, Object.fromEntries(formData))).patientId;
    return "Emergency access granted.";
  }, formValues(formData, ["password"]));
  if (opened) redirect(`/patients/${opened}`);
  return outcome;
}
