"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { forgotPasswordAction } from "./actions";

export function ForgotPasswordForm() {
  const [state, formAction, pending] = useActionState(forgotPasswordAction, idleFormState);
  if (state.status === "success") return <FormMessage status={state.status} message={state.message} />;
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="email" label="Email" type="email" autoComplete="username" required defaultValue={state.values?.email} errors={state.fieldErrors?.email} />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Sending…" : "Email me a link"}
        </button>
      </div>
    </form>
  );
}
