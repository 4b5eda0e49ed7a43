"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { confirmGuardianAction, renewGuardianAction } from "./actions";

export function ConfirmGuardianForm({ patientId, guardianUserId, name }: { patientId: string; guardianUserId: string; name: string }) {
  const [state, formAction, pending] = useActionState(confirmGuardianAction, idleFormState);
  return (
    <form action={formAction} className="stack">
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="guardianUserId" value={guardianUserId} />
      <div>
        <button type="submit" disabled={pending}>
          I have verified {name} is a parent or guardian: confirm
        </button>
      </div>
    </form>
  );
}

export function RenewGuardianForm({ patientId, guardianUserId, name }: { patientId: string; guardianUserId: string; name: string }) {
  const [state, formAction, pending] = useActionState(renewGuardianAction, idleFormState);
  return (
    <form action={formAction} className="stack">
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="guardianUserId" value={guardianUserId} />
      <Field name="renewedUntil" id={`renew-${guardianUserId}`} label={`Renew ${name}'s access until`} type="date" errors={state.fieldErrors?.renewedUntil} />
      <div>
        <button type="submit" className="secondary" disabled={pending}>
          Renew access
        </button>
      </div>
    </form>
  );
}
