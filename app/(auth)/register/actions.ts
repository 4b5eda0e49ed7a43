"use server";

import { headers } from "next/headers";
import { requestOriginOf } from "@/lib/access/origin";
import { formValues, type FormState } from "@/lib/form-state";
import { formOutcome, siteOrigin } from "@/lib/http/form-action";
import { registerAdultPatient } from "@/lib/people/self-registration";

export async function registerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const origin = requestOriginOf(await headers());
  return formOutcome(
    async () => registerAdultPatient({ kind: "anonymous", origin }, Object.fromEntries(formData), await siteOrigin()),
    formValues(formData, ["password"]),
    origin.requestId,
  );
}
