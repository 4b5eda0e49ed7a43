"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { signInAction } from "./actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, formAction, pending] = useActionState(signInAction, idleFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field name="email" label="Email" type="email" autoComplete="username" required defaultValue={state.values?.email} />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
