"use client";

import { useActionState, useId } from "react";
import { FormMessage } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";
import { ALERT_NOTE_MAX } from "@/lib/monitoring/inbox-schema";

/** Acknowledge (with an optional note) and resolve one alert; `what` names it for screen readers. */
export function AlertActions({
  what,
  status,
  acknowledge,
  resolve,
}: {
  what: string;
  status: "open" | "acknowledged" | "resolved";
  acknowledge: (previous: FormState, formData: FormData) => Promise<FormState>;
  resolve: (previous: FormState) => Promise<FormState>;
}) {
  const [acknowledged, acknowledgeAction, acknowledging] = useActionState(acknowledge, idleFormState);
  const [resolved, resolveAction, resolving] = useActionState(resolve, idleFormState);
  const noteId = useId();
  return (
    <div className="alert-actions">
      {status === "open" ? (
        <form action={acknowledgeAction}>
          <label htmlFor={noteId}>Note (optional)</label>
          <input id={noteId} name="note" maxLength={ALERT_NOTE_MAX} defaultValue={acknowledged.values?.note} aria-invalid={acknowledged.fieldErrors?.note ? true : undefined} />
          <button type="submit" disabled={acknowledging} aria-label={`Acknowledge ${what}`}>
            Acknowledge
          </button>
        </form>
      ) : null}
      {status !== "resolved" ? (
        <form action={resolveAction}>
          <button type="submit" className="secondary" disabled={resolving} aria-label={`Resolve ${what}`}>
            Resolve
          </button>
        </form>
      ) : null}
      <FormMessage status={acknowledged.status} message={acknowledged.fieldErrors?.note?.join(" ") ?? acknowledged.message} />
      <FormMessage status={resolved.status} message={resolved.message} />
    </div>
  );
}
