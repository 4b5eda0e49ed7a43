"use client";

import { useActionState } from "react";
import { Field, FormMessage, SelectField } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";

type BoundAction = (previous: FormState, formData: FormData) => Promise<FormState>;

export function RegisterDeviceForm({ action }: { action: BoundAction }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <SelectField
        name="kind"
        label="Kind of meter"
        options={[
          { value: "fingerstick-meter", label: "Fingerstick meter" },
          { value: "cgm", label: "CGM sensor" },
        ]}
        defaultValue={values.kind}
        errors={errors.kind}
      />
      <Field name="model" label="Model" required defaultValue={values.model} errors={errors.model} />
      <Field name="serialNumber" label="Serial number" required defaultValue={values.serialNumber} errors={errors.serialNumber} />
      <div>
        <button type="submit" disabled={pending}>
          Register and get a pairing code
        </button>
      </div>
    </form>
  );
}
