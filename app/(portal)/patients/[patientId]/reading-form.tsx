"use client";

import { useActionState } from "react";
import { Field, FormMessage, SelectField } from "@/components/field";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import { idleFormState } from "@/lib/form-state";
import { addReadingAction } from "./actions";

const unitOptions = [
  { value: "mg/dL", label: "mg/dL" },
  { value: "mmol/L", label: "mmol/L" },
] as const;

export function ReadingForm(props: { patientId: string; unit: GlucoseUnit; defaultTakenAt: string; timezone: string }) {
  const [state, formAction, pending] = useActionState(addReadingAction.bind(null, props.patientId), idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // React resets the form after each action; after an error the typed values come back as defaults.
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <div className="row">
        <Field name="value" label="Glucose value" inputMode="decimal" required defaultValue={values.value} errors={errors.value} />
        <SelectField name="unit" label="Unit" options={unitOptions} defaultValue={values.unit ?? props.unit} errors={errors.unit} />
      </div>
      <Field
        name="takenAt"
        label="Taken at"
        type="datetime-local"
        required
        hint={`Local time in ${props.timezone}`}
        defaultValue={values.takenAt ?? props.defaultTakenAt}
        errors={errors.takenAt}
      />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Add reading"}
        </button>
      </div>
    </form>
  );
}
