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
      <FormMessage status={state.status} message={state.message} secret={state.secret} />
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

/** `accessOptions` come from the server page: the labels live with the token schema, which the browser need not load. */
export function CreateAccessTokenForm({ action, accessOptions }: { action: BoundAction; accessOptions: readonly { value: string; label: string }[] }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} secret={state.secret} />
      <Field name="name" label="Token name" hint="The app or person using it, e.g. Nightguard on Dad's phone" required defaultValue={values.name} errors={errors.name} />
      <SelectField
        name="access"
        label="What the token may do"
        options={accessOptions}
        defaultValue={values.access}
        errors={errors.access}
      />
      <div>
        <button type="submit" disabled={pending}>
          Create an access token
        </button>
      </div>
    </form>
  );
}
