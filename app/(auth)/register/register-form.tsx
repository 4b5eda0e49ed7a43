"use client";

import { useActionState } from "react";
import { Field, FormMessage, SelectField } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { registerAction } from "./actions";

const unitOptions = [
  { value: "mg/dL", label: "mg/dL" },
  { value: "mmol/L", label: "mmol/L" },
] as const;

export function RegisterForm({ timeZones, defaultTimeZone }: { timeZones: string[]; defaultTimeZone: string }) {
  const [state, formAction, pending] = useActionState(registerAction, idleFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  if (state.status === "success") return <FormMessage status={state.status} message={state.message} />;
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="givenName" label="First name" autoComplete="given-name" required defaultValue={values.givenName} errors={errors.givenName} />
      <Field name="familyName" label="Last name" autoComplete="family-name" required defaultValue={values.familyName} errors={errors.familyName} />
      <Field name="email" label="Email" type="email" autoComplete="email" required defaultValue={values.email} errors={errors.email} />
      <Field name="birthDate" label="Date of birth" type="date" required defaultValue={values.birthDate} errors={errors.birthDate} />
      <SelectField
        name="timezone"
        label="Time zone"
        options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }))}
        defaultValue={values.timezone ?? defaultTimeZone}
        errors={errors.timezone}
        required
      />
      <SelectField name="preferredUnit" label="Glucose unit" options={unitOptions} defaultValue={values.preferredUnit} errors={errors.preferredUnit} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 15 characters. A few unrelated words are strong and easy to remember; any characters are allowed, and pasting is fine."
        errors={errors.password}
      />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </button>
      </div>
    </form>
  );
}
