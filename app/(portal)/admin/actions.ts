"use server";

import { revalidatePath } from "next/cache";
import { addClinicianToCareTeam, assignPatientToCareTeam, createCareTeam, createStaffAccount } from "@/lib/admin/organization";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";

export async function createStaffAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { email, initialPassword } = await createStaffAccount(actor, Object.fromEntries(formData));
    revalidatePath("/admin");
    return { status: "success", message: `Account created for ${email}. Initial password (shown once, give it to them securely):`, secret: initialPassword };
  }, formValues(formData));
}

export async function createCareTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await createCareTeam(actor, Object.fromEntries(formData));
    revalidatePath("/admin");
    return "Care team created.";
  }, formValues(formData));
}

export async function addClinicianAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await addClinicianToCareTeam(actor, Object.fromEntries(formData));
    revalidatePath("/admin");
    return "Clinician added to the care team.";
  }, formValues(formData));
}

export async function assignPatientAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await assignPatientToCareTeam(actor, Object.fromEntries(formData));
    revalidatePath("/admin");
    return "Patient assigned to the care team.";
  }, formValues(formData));
}
