"use server";

import { signIn } from "@/lib/auth/next-auth";
import { formStateFromError, formValues, type FormState } from "@/lib/form-state";
import { registerAdultPatient } from "@/lib/patients/register";

export async function registerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = Object.fromEntries(formData);
  try {
    await registerAdultPatient(input);
  } catch (error) {
    return formStateFromError(error, formValues(formData, ["password"]));
  }
  await signIn("credentials", { email: input.email, password: input.password, redirectTo: "/" });
  return { status: "success" };
}
