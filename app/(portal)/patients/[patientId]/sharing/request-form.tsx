"use client";

import { useActionState } from "react";
import { FormMessage, SelectField, TextAreaField } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";

type BoundAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export function PrivacyRequestForm({ action }: { action: BoundAction }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <SelectField
        name="kind"
        label="What would you like?"
        options={[
          { value: "restriction", label: "Stop using some of my data for now (restriction)" },
          { value: "erasure", label: "Delete some of my data (erasure)" },
        ]}
        defaultValue={values.kind}
        errors={errors.kind}
      />
      <TextAreaField name="details" label="Tell us what, and why if you like" defaultValue={values.details} errors={errors.details} maxLength={2000} />
      <div>
        <button type="submit" disabled={pending}>
          Send the request
        </button>
      </div>
    </form>
  );
}
