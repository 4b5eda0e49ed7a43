"use client";

import { useActionState } from "react";
import { Field, FormMessage, SelectField } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";
import { accountStatusAction, addClinicianAction, assignPatientAction, createCareTeamAction, createStaffAction } from "./actions";

type Option = { value: string; label: string };
type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

function AdminForm({ action, submitLabel, children }: { action: Action; submitLabel: string; children: (state: FormState) => React.ReactNode }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} secret={state.secret} />
      {children(state)}
      <div>
        <button type="submit" disabled={pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

export function CreateStaffForm() {
  return (
    <AdminForm action={createStaffAction} submitLabel="Create account and send invitation">
      {(state) => (
        <>
          <Field name="displayName" id="staff-name" label="Name" required defaultValue={state.values?.displayName} errors={state.fieldErrors?.displayName} />
          <Field name="email" id="staff-email" label="Email" type="email" required defaultValue={state.values?.email} errors={state.fieldErrors?.email} />
          <SelectField
            name="role"
            id="staff-role"
            label="Role"
            options={[
              { value: "clinician", label: "Clinician" },
              { value: "admin", label: "Administrator" },
              { value: "privacy_officer", label: "Privacy officer" },
            ]}
            defaultValue={state.values?.role}
            errors={state.fieldErrors?.role}
          />
        </>
      )}
    </AdminForm>
  );
}

export function CreateCareTeamForm() {
  return (
    <AdminForm action={createCareTeamAction} submitLabel="Create care team">
      {(state) => <Field name="name" id="team-name" label="Care team name" required defaultValue={state.values?.name} errors={state.fieldErrors?.name} />}
    </AdminForm>
  );
}

function TeamSelect({ id, teams, state }: { id: string; teams: Option[]; state: FormState }) {
  return <SelectField name="careTeamId" id={id} label="Care team" options={teams} defaultValue={state.values?.careTeamId} errors={state.fieldErrors?.careTeamId} />;
}

export function AddClinicianForm({ teams, clinicians }: { teams: Option[]; clinicians: Option[] }) {
  return (
    <AdminForm action={addClinicianAction} submitLabel="Add to team">
      {(state) => (
        <>
          <TeamSelect id="member-team" teams={teams} state={state} />
          <SelectField name="clinicianUserId" label="Clinician" options={clinicians} defaultValue={state.values?.clinicianUserId} errors={state.fieldErrors?.clinicianUserId} />
        </>
      )}
    </AdminForm>
  );
}

export function AssignPatientForm({ teams, patients }: { teams: Option[]; patients: Option[] }) {
  return (
    <AdminForm action={assignPatientAction} submitLabel="Assign patient">
      {(state) => (
        <>
          <TeamSelect id="patient-team" teams={teams} state={state} />
          <SelectField name="patientId" label="Patient" options={patients} defaultValue={state.values?.patientId} errors={state.fieldErrors?.patientId} />
        </>
      )}
    </AdminForm>
  );
}

/** One staff account's disable (or enable) button, in the staff table. */
export function AccountStatusForm({ userId, name, disabled }: { userId: string; name: string; disabled: boolean }) {
  const [state, formAction, pending] = useActionState(accountStatusAction, idleFormState);
  return (
    <form action={formAction} className="stack">
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <div>
        <button type="submit" className="secondary" disabled={pending} aria-label={`${disabled ? "Enable" : "Disable"} ${name}`}>
          {disabled ? "Enable" : "Disable"}
        </button>
      </div>
    </form>
  );
}
