"use client";

import { useActionState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { FormMessage } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";

const subscribeToNothing = () => () => {};

/**
 * A single-button action (rotate, revoke, new secret), optionally confirmed, with its result shown
 * next to it, or, for buttons inside a table row, in `resultSlotId`: a full-width element outside
 * the table, so a once-shown secret is never squeezed into a narrow cell.
 */
export function ActionButton({
  action,
  label,
  confirm,
  describedBy,
  resultSlotId,
}: {
  action: (previous: FormState) => Promise<FormState>;
  label: string;
  confirm?: string;
  describedBy?: string;
  resultSlotId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  const inBrowser = useSyncExternalStore(subscribeToNothing, () => true, () => false);
  const message = <FormMessage status={state.status} message={state.message} secret={state.secret} />;
  const slot = inBrowser && resultSlotId ? document.getElementById(resultSlotId) : null;
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
      {slot ? createPortal(message, slot) : message}
    </form>
  );
}
