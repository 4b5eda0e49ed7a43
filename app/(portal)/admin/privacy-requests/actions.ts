"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { answerPrivacyRequest } from "@/lib/privacy/requests";

export async function answerPrivacyRequestAction(requestId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    await answerPrivacyRequest(actor, requestId, Object.fromEntries(formData));
    revalidatePath("/admin/privacy-requests");
    return "Answer saved; the patient sees it on their Privacy and sharing page.";
  }, formValues(formData));
}
