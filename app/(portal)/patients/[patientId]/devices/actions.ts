"use server";

import { revalidatePath } from "next/cache";
import { registerDevice, revokeDevice, rotateDeviceToken } from "@/lib/devices/registry";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { createAccessToken, revokeAccessToken } from "@/lib/uploader/access-tokens";
import { createUploaderSecret } from "@/lib/uploader/credentials";

/** Secrets are handed to the page exactly once (FormState.secret); nothing can show them again. */
export async function registerDeviceAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { pairingCode, expiresAt } = await registerDevice(actor, patientId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}/devices`);
    return `Pairing code: ${pairingCode} (enter it on the meter before ${expiresAt.toISOString().slice(11, 16)} UTC; it works once).`;
  }, formValues(formData));
}

export async function rotateTokenAction(patientId: string, deviceId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    const { token } = await rotateDeviceToken(actor, patientId, deviceId);
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: "New device token (shown once; the old one no longer works):", secret: token };
  });
}

export async function revokeDeviceAction(patientId: string, deviceId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    await revokeDevice(actor, patientId, deviceId);
    revalidatePath(`/patients/${patientId}/devices`);
    return "Device revoked. Its readings stay in the record.";
  });
}

export async function createUploaderSecretAction(patientId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    const { secret } = await createUploaderSecret(actor, patientId);
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: "API secret (shown once; any earlier secret no longer works):", secret };
  });
}

export async function createAccessTokenAction(patientId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { token } = await createAccessToken(actor, patientId, Object.fromEntries(formData));
    revalidatePath(`/patients/${patientId}/devices`);
    return { status: "success", message: "Access token (shown once; enter it in the app, or add ?token= and it to the site URL):", secret: token };
  }, formValues(formData));
}

export async function revokeAccessTokenAction(patientId: string, tokenId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    await revokeAccessToken(actor, patientId, tokenId);
    revalidatePath(`/patients/${patientId}/devices`);
    return "Access token revoked. Apps using it can no longer read or send.";
  });
}
