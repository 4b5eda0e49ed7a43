"use client";

import { useActionState } from "react";
import { FormMessage, SelectField, TextAreaField } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";

type BoundAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export function AnswerForm({ action, requestId }: { action: BoundAction; requestId: string }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <SelectField
        id={`status-${requestId}`}
        name="status"
        label="Outcome"
        options={[
          { value: "completed", label: "Done as asked" },
          { value: "refused", label: "Refused (in whole or in part)" },
        ]}
        defaultValue={values.status}
        errors={errors.status}
      />
      <SelectField
        id={`exemption-${requestId}`}
        name="careRecordsExemption"
        label="Care records kept under the health-care exemption (Art 17(3)(b)-(c))?"
        options={[
          { value: "yes", label: "Yes, care records were kept" },
          { value: "no", label: "No" },
        ]}
        defaultValue={values.careRecordsExemption}
        errors={errors.careRecordsExemption}
      />
      <TextAreaField name="response" label="Answer to the patient" defaultValue={values.response} errors={errors.response} maxLength={4000} />
      <div>
        <button type="submit" disabled={pending}>
          Save the answer
        </button>
      </div>
    </form>
  );
}
