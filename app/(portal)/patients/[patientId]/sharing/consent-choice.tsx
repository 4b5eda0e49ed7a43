"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/field";
import { idleFormState, type FormState } from "@/lib/form-state";

type BoundAction = (previous: FormState, formData: FormData) => Promise<FormState>;

/**
 * Yes and no side by side, the same size and style (no nudge, ICO Age Appropriate Design Code std
 * 13): giving and withdrawing are each one press. The current choice is marked as pressed.
 */
export function ConsentChoice({ action, purpose, title, permitted }: { action: BoundAction; purpose: string; title: string; permitted: boolean }) {
  const [state, formAction, pending] = useActionState(action, idleFormState);
  return (
    <form action={formAction} className="consent-choice">
      <input type="hidden" name="purpose" value={purpose} />
      <div className="row" role="group" aria-label={`Your choice for ${title}`}>
        <button type="submit" name="decision" value="permit" className="secondary" aria-pressed={permitted} disabled={pending}>
          Yes, allow
        </button>
        <button type="submit" name="decision" value="deny" className="secondary" aria-pressed={!permitted} disabled={pending}>
          No, don&apos;t allow
        </button>
      </div>
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}
