"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { createHospitalEndpoint, replayPush } from "@/lib/fhir/push/endpoints";
import { formStateFromError, formValues, type FormState } from "@/lib/form-state";

export async function createEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await createHospitalEndpoint(actor, Object.fromEntries(formData));
    revalidatePath("/admin/hospital-pushes");
    return { status: "success", message: "Endpoint added: new readings of your patients are pushed to it from now on." };
  } catch (error) {
    return formStateFromError(error, formValues(formData, ["bearerToken"]));
  }
}

export async function replayPushAction(outboxId: number, _previous: FormState): Promise<FormState> {
  const actor = await requireActor();
  try {
    await replayPush(actor, outboxId);
    revalidatePath("/admin/hospital-pushes");
    return { status: "success", message: "Queued again; it is delivered within seconds if the hospital answers." };
  } catch (error) {
    return formStateFromError(error, {});
  }
}
