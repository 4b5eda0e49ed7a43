"use server";

import { revalidatePath } from "next/cache";
import { registerBackendClient, revokeBackendClient } from "@/lib/fhir/smart/clients";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";

/** The client_id is not a secret, but the message is where the admin first sees it, with what to do next. */
export async function registerBackendClientAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const scopes = formData.getAll("scopes").filter((value): value is string => typeof value === "string");
  return formAction(
    async (actor) => {
      const { clientId, name } = await registerBackendClient(actor, {
        name: formData.get("name") ?? "",
        jwks: formData.get("jwks") ?? "",
        jwksUrl: formData.get("jwksUrl") ?? "",
        scopes,
      });
      revalidatePath("/admin/clients");
      return {
        status: "success",
        message: `${name} is registered. Its client_id is ${clientId}. Give the system's team this client_id and the token URL shown on this page; the system signs each token request with its own private key.`,
        values: { clientId },
      };
    },
    { ...formValues(formData, ["scopes"]), scopes: scopes.join(" ") },
  );
}

export async function revokeBackendClientAction(clientId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    const { name } = await revokeBackendClient(actor, clientId);
    revalidatePath("/admin/clients");
    return `${name} is revoked: its access tokens stopped working and it cannot get new ones.`;
  });
}
