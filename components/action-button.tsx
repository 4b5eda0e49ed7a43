"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";

/** A single-button action (rotate, revoke, new secret), optionally confirmed, with its result shown next to it. */
export function ActionButton({ action, label, confirm, describedBy }: { action: (previous: FormState) => Promise<FormState>; label: string; confirm?: string; describedBy?: string }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  return (
    <form
      action={formAction}
      className="inline-form"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <button type="submit" className="secondary" disabled={pending} aria-describedby={describedBy}>
        {label}
      </button>
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}
