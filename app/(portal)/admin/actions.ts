"use server";

import { revalidatePath } from "next/cache";
import { setAccountDisabled } from "@/lib/auth/accounts";
import { addClinicianToCareTeam, assignPatientToCareTeam, createCareTeam, createStaffAccount } from "@/lib/admin/organization";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction, siteOrigin } from "@/lib/http/form-action";

export async function createStaffAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { email } = await createStaffAccount(actor, Object.fromEntries(formData), await siteOrigin());
    revalidatePath("/admin");
    return `Account created for ${email}. We emailed them a link to set their own password.`;
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

export async function accountStatusAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { disabled } = await setAccountDisabled(actor, Object.fromEntries(formData));
    revalidatePath("/admin");
    return disabled ? "Account disabled: it cannot sign in, and its sessions have ended." : "Account enabled: it can sign in again.";
  });
}
