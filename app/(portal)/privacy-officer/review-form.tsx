"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { markReviewedAction } from "./actions";

export function MarkReviewedForm({ auditSeq }: { auditSeq: number }) {
  const [state, formAction, pending] = useActionState(markReviewedAction, idleFormState);
  return (
    <form action={formAction}>
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="auditSeq" value={auditSeq} />
      <button type="submit" className="secondary" disabled={pending}>
        Mark reviewed
      </button>
    </form>
  );
}
