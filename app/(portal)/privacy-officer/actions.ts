"use server";

import { revalidatePath } from "next/cache";
import type { FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { markReviewed } from "@/lib/oversight/access-log";

export async function markReviewedAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await markReviewed(actor, Object.fromEntries(formData));
    revalidatePath("/privacy-officer");
    return "Marked reviewed.";
  });
}
