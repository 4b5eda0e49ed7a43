"use server";

import { revalidatePath } from "next/cache";
import { createHospitalEndpoint, replayPush } from "@/lib/fhir/push/endpoints";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";

export async function createEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await createHospitalEndpoint(actor, Object.fromEntries(formData));
    revalidatePath("/admin/hospital-pushes");
    return "Endpoint added: new readings of your patients are pushed to it from now on.";
  }, formValues(formData, ["bearerToken"]));
}

export async function replayPushAction(outboxId: number, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    await replayPush(actor, outboxId);
    revalidatePath("/admin/hospital-pushes");
    return "Queued again; it is delivered within seconds if the hospital answers.";
  });
}
