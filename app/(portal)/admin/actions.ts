"use server";

import { revalidatePath } from "next/cache";
import { addClinicianToCareTeam, assignPatientToCareTeam, createCareTeam, createStaffAccount } from "@/lib/admin/organization";
import type { UserActor } from "@/lib/access/actor";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, formValues, type FormState } from "@/lib/form-state";

/** Runs one admin operation for the signed-in user and turns its outcome into form feedback. */
async function runAdminAction(formData: FormData, operation: (actor: UserActor, input: unknown) => Promise<string>): Promise<FormState> {
  const actor = await requireActor();
  try {
    const message = await operation(actor, Object.fromEntries(formData));
    revalidatePath("/admin");
    return { status: "success", message };
  } catch (error) {
    return formStateFromError(error, formValues(formData));
  }
}

export async function createStaffAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runAdminAction(formData, async (actor, input) => {
    const { email, initialPassword } = await createStaffAccount(actor, input);
    return `Account created for ${email}. Initial password (shown once, give it to them securely): ${initialPassword}`;
  });
}

export async function createCareTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runAdminAction(formData, async (actor, input) => {
    await createCareTeam(actor, input);
    return "Care team created.";
  });
}

export async function addClinicianAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runAdminAction(formData, async (actor, input) => {
    await addClinicianToCareTeam(actor, input);
    return "Clinician added to the care team.";
  });
}

export async function assignPatientAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runAdminAction(formData, async (actor, input) => {
    await assignPatientToCareTeam(actor, input);
    return "Patient assigned to the care team.";
  });
}
