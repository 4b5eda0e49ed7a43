"use client";

import { useActionState } from "react";
import { Field, FormMessage, SelectField } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { registerPatientAction } from "./actions";

const unitOptions = [
  { value: "mg/dL", label: "mg/dL" },
  { value: "mmol/L", label: "mmol/L" },
] as const;

export function ClinicRegistrationForm({ teams, timeZones, confirmsGuardians }: { teams: { value: string; label: string }[]; timeZones: string[]; confirmsGuardians: boolean }) {
  const [state, formAction, pending] = useActionState(registerPatientAction, idleFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <fieldset className="stack">
        <legend>The patient</legend>
        <Field name="givenName" label="First name" required defaultValue={values.givenName} errors={errors.givenName} />
        <Field name="familyName" label="Last name" required defaultValue={values.familyName} errors={errors.familyName} />
        <Field name="birthDate" label="Date of birth" type="date" required defaultValue={values.birthDate} errors={errors.birthDate} />
        <Field name="medicalRecordNumber" label="Record number (optional)" defaultValue={values.medicalRecordNumber} errors={errors.medicalRecordNumber} />
        <SelectField
          name="timezone"
          label="Time zone"
          options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }))}
          defaultValue={values.timezone ?? "Europe/London"}
          errors={errors.timezone}
          required
        />
        <SelectField name="preferredUnit" label="Glucose unit" options={unitOptions} defaultValue={values.preferredUnit} errors={errors.preferredUnit} />
        <SelectField name="careTeamId" label="Care team" options={teams} defaultValue={values.careTeamId} errors={errors.careTeamId} required />
        <Field
          name="patientEmail"
          label="Patient's own email (optional)"
          type="email"
          hint="For an adult or a young person who will sign in themself. They get a link to set their own password."
          defaultValue={values.patientEmail}
          errors={errors.patientEmail}
        />
      </fieldset>
      <fieldset className="stack">
        <legend>Parents or guardians (for a patient under 18)</legend>
        <Field name="guardianName" label="Guardian's name" defaultValue={values.guardianName} errors={errors.guardianName} />
        <Field
          name="guardianEmail"
          label="Guardian's email"
          type="email"
          hint="They get a link to set their own password."
          defaultValue={values.guardianEmail}
          errors={errors.guardianEmail}
        />
        <Field name="secondGuardianName" label="Second guardian's name (optional)" defaultValue={values.secondGuardianName} errors={errors.secondGuardianName} />
        <Field name="secondGuardianEmail" label="Second guardian's email (optional)" type="email" defaultValue={values.secondGuardianEmail} errors={errors.secondGuardianEmail} />
        {confirmsGuardians ? (
          <div className="field">
            <label>
              <input type="checkbox" name="guardiansVerified" defaultChecked={values.guardiansVerified === "on"} aria-describedby={errors.guardiansVerified?.length ? "guardiansVerified-error" : undefined} />{" "}
              I have verified that these people are the patient&apos;s parents or legal guardians.
            </label>
            {errors.guardiansVerified?.length ? (
              <p className="field-error" id="guardiansVerified-error">
                {errors.guardiansVerified.join(" ")}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="hint">A clinician of the care team confirms the guardians before they can see the record.</p>
        )}
      </fieldset>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Registering…" : "Register patient"}
        </button>
      </div>
    </form>
  );
}
