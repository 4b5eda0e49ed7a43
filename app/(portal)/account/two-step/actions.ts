"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActorForMfaSetup } from "@/lib/auth/session";
import { authorizeNewAuthenticator, confirmTotpSetup, turnOffSecondFactor } from "@/lib/auth/mfa/second-factor";
import type { FormState } from "@/lib/form-state";
import { formOutcome } from "@/lib/http/form-action";
import { parseInput } from "@/lib/validation";

/** What the confirmation hands back: the ten recovery codes, shown this once. */
export interface SetupState extends FormState {
  recoveryCodes?: string[];
}

const codeSchema = z.object({ code: z.string().trim().min(1, "Type the 6-digit code your authenticator app shows.").max(64) });
const reauthenticationSchema = z.object({
  password: z.string().min(1, "Type your current password.").max(1024),
  code: z.string().trim().min(1, "Type the code your authenticator app shows now, or a recovery code.").max(64),
});

export async function confirmSetupAction(_previous: SetupState, formData: FormData): Promise<SetupState> {
  const actor = await requireActorForMfaSetup();
  return formOutcome(async () => {
    const { code } = parseInput(codeSchema, Object.fromEntries(formData));
    const recoveryCodes = await confirmTotpSetup(actor, code);
    return { status: "success", message: "Two-step sign-in is on. Save these recovery codes now: each works once, and they will not be shown again.", recoveryCodes };
  }, {}, actor.origin.requestId);
}

export async function newAuthenticatorAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActorForMfaSetup();
  return formOutcome(async () => {
    const { password, code } = parseInput(reauthenticationSchema, Object.fromEntries(formData));
    await authorizeNewAuthenticator(actor, password, code);
    revalidatePath("/account/two-step");
    return "Scan the new QR code below with your authenticator app and confirm it with its first code. Until then your current authenticator keeps working.";
  }, {}, actor.origin.requestId);
}

export async function turnOffAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const actor = await requireActorForMfaSetup();
  return formOutcome(async () => {
    const { password, code } = parseInput(reauthenticationSchema, Object.fromEntries(formData));
    await turnOffSecondFactor(actor, password, code);
    revalidatePath("/account/two-step");
    return "Two-step sign-in is off. You sign in with your password alone.";
  }, {}, actor.origin.requestId);
}
