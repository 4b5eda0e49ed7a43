"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { signInCodeAction } from "../actions";

export function CodeForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, formAction, pending] = useActionState(signInCodeAction, idleFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field name="code" label="Code" autoComplete="one-time-code" inputMode="text" required autoFocus />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Checking…" : "Continue"}
        </button>
      </div>
    </form>
  );
}
