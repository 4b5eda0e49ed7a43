"use server";

import { revalidatePath } from "next/cache";
import type { FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { completeCareTeamTask } from "@/lib/people/proxy-reviews";

export async function completeTaskAction(taskId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    await completeCareTeamTask(actor, { taskId });
    revalidatePath("/clinician");
    return "Marked done.";
  });
}
