"use server";

import { headers } from "next/headers";
import { requestOriginOf } from "@/lib/access/origin";
import { requestPasswordReset } from "@/lib/auth/accounts";
import { formValues, type FormState } from "@/lib/form-state";
import { formOutcome, siteOrigin } from "@/lib/http/form-action";

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const origin = requestOriginOf(await headers());
  return formOutcome(async () => requestPasswordReset({ kind: "anonymous", origin }, Object.fromEntries(formData), await siteOrigin()), formValues(formData), origin.requestId);
}
