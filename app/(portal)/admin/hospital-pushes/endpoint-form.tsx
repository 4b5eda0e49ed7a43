"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { createEndpointAction } from "./actions";

export function EndpointForm() {
  const [state, formAction, pending] = useActionState(createEndpointAction, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="name" id="endpoint-name" label="Hospital system" required defaultValue={values.name} errors={errors.name} />
      <Field name="baseUrl" label="FHIR base URL" type="url" required defaultValue={values.baseUrl} errors={errors.baseUrl} hint="e.g. https://fhir.hospital.example/r4" />
      <Field name="bearerToken" label="Bearer token (optional)" type="password" autoComplete="off" errors={errors.bearerToken} />
      <div>
        <button type="submit" disabled={pending}>
          Add endpoint
        </button>
      </div>
    </form>
  );
}
