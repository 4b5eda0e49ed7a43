"use client";

import { useActionState } from "react";
import { Field, FormMessage, SelectField, TextAreaField } from "@/components/field";
import type { GlucoseUnit } from "@/lib/readings/units";
import type { FormState } from "@/lib/form-state";
import { idleFormState } from "@/lib/form-state";
import { mealContextLabels, NOTE_MAX_LENGTH } from "@/lib/readings/manual-entry-schema";

const unitOptions = [
  { value: "mg/dL", label: "mg/dL" },
  { value: "mmol/L", label: "mmol/L" },
] as const;

const mealOptions = [{ value: "", label: "Not said" }, ...Object.entries(mealContextLabels).map(([value, label]) => ({ value, label }))];

export interface ReadingDefaults {
  value?: string;
  unit: GlucoseUnit;
  takenAt: string;
  mealContext?: string;
  note?: string;
}

/** A new reading or a correction: the same fields, checked by the same schema on the server. */
export function ReadingForm(props: {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  defaults: ReadingDefaults;
  timezone: string;
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  // React resets the form after each action; after an error the typed values come back as defaults.
  const values: Partial<Record<keyof ReadingDefaults, string>> = state.status === "error" ? (state.values ?? {}) : props.defaults;
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <div className="row">
        <Field name="value" label="Glucose value" inputMode="decimal" required defaultValue={values.value} errors={errors.value} />
        <SelectField name="unit" label="Unit" options={unitOptions} defaultValue={values.unit ?? props.defaults.unit} errors={errors.unit} />
      </div>
      <Field
        name="takenAt"
        label="Taken at"
        type="datetime-local"
        required
        hint={`Local time in ${props.timezone}`}
        defaultValue={values.takenAt ?? props.defaults.takenAt}
        errors={errors.takenAt}
      />
      <SelectField name="mealContext" label="Meal" options={mealOptions} defaultValue={values.mealContext ?? ""} errors={errors.mealContext} />
      <TextAreaField name="note" label="Note (optional)" defaultValue={values.note} errors={errors.note} maxLength={NOTE_MAX_LENGTH} />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
