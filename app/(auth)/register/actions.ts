"use server";

import { headers } from "next/headers";
import { requestOriginOf } from "@/lib/access/origin";
import { signIn } from "@/lib/auth/next-auth";
import { formValues, type FormState } from "@/lib/form-state";
import { formOutcome } from "@/lib/http/form-action";
import { registerAdultPatient } from "@/lib/patients/register";

export async function registerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = Object.fromEntries(formData);
  const origin = requestOriginOf(await headers());
  const outcome = await formOutcome(async () => {
    await registerAdultPatient({ kind: "anonymous", origin }, input);
    return { status: "success" };
  }, formValues(formData, ["password"]), origin.requestId);
  if (outcome.status !== "success") return outcome;
  await signIn("credentials", { email: input.email, password: input.password, redirectTo: "/" });
  return outcome;
}
