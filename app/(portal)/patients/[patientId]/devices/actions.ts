"use server";

import { revalidatePath } from "next/cache";
import { registerDevice, revokeDevice, rotateDeviceToken } from "@/lib/devices/registry";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, formValues, type FormState } from "@/lib/form-state";
import { createUploaderSecret } from "@/lib/uploader/service";

/** Secrets appear in the message exactly once; nothing can show them again. */
export async function registerDeviceAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    const { pairingCode, expiresAt } = await registerDevice(actor, patientId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: `Pairing code: ${pairingCode} (enter it on the meter before ${expiresAt.toISOString().slice(11, 16)} UTC; it works once).` };
  } catch (error) {
    return formStateFromError(error, formValues(formData));
  }
}

export async function rotateTokenAction(patientId: string, deviceId: string, _previous: FormState): Promise<FormState> {
  const actor = await requireActor();
  try {
    const { token } = await rotateDeviceToken(actor, patientId, deviceId);
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: `New device token (shown once; the old one no longer works): ${token}` };
  } catch (error) {
    return formStateFromError(error, {});
  }
}

export async function revokeDeviceAction(patientId: string, deviceId: string, _previous: FormState): Promise<FormState> {
  const actor = await requireActor();
  try {
    await revokeDevice(actor, patientId, deviceId);
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: "Device revoked. Its readings stay in the record." };
  } catch (error) {
    return formStateFromError(error, {});
  }
}

export async function createUploaderSecretAction(patientId: string, _previous: FormState): Promise<FormState> {
  const actor = await requireActor();
  try {
    const { secret } = await createUploaderSecret(actor, patientId);
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: `API secret (shown once; any earlier secret no longer works): ${secret}` };
  } catch (error) {
    return formStateFromError(error, {});
  }
}
