"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { breakGlassAction } from "./actions";

export function BreakGlassForm() {
  const [state, formAction, pending] = useActionState(breakGlassAction, idleFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="medicalRecordNumber" label="Patient's record number" required defaultValue={values.medicalRecordNumber} errors={errors.medicalRecordNumber} />
      <Field name="reason" label="Why you need this record now" required hint="The patient and the privacy officer will read this." defaultValue={values.reason} errors={errors.reason} />
      <Field name="password" label="Your password" type="password" autoComplete="current-password" required errors={errors.password} />
      <div>
        <button type="submit" disabled={pending}>
          Open the record in an emergency
        </button>
      </div>
    </form>
  );
}
