"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { confirmGuardianAction, limitGuardianAction, recordCompetenceAction, renewGuardianAction } from "./actions";

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

/** The clinician records whether the young person is competent to decide who sees their record. */
export function CompetenceForm({ patientId }: { patientId: string }) {
  const [state, formAction, pending] = useActionState(recordCompetenceAction, idleFormState);
  return (
    <form action={formAction} className="stack">
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="patientId" value={patientId} />
      <fieldset>
        <legend>Can this young person decide on their own who sees their record?</legend>
        <div className="field checkbox">
          <input type="radio" id="competent-yes" name="competent" value="yes" />
          <label htmlFor="competent-yes">Yes: they understand who sees what, and why</label>
        </div>
        <div className="field checkbox">
          <input type="radio" id="competent-no" name="competent" value="no" />
          <label htmlFor="competent-no">Not yet</label>
        </div>
        {state.fieldErrors?.competent ? <p className="field-error">{state.fieldErrors.competent.join(" ")}</p> : null}
      </fieldset>
      <Field name="note" id="competence-note" label="Note (optional)" errors={state.fieldErrors?.note} />
      <div>
        <button type="submit" disabled={pending}>
          Record assessment
        </button>
      </div>
    </form>
  );
}

/** The young person's two choices for one guardian, side by side with equal weight: a last day, or end now. */
export function LimitGuardianForm({ patientId, guardianUserId, name }: { patientId: string; guardianUserId: string; name: string }) {
  const [state, formAction, pending] = useActionState(limitGuardianAction, idleFormState);
  return (
    <form action={formAction} className="stack">
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="guardianUserId" value={guardianUserId} />
      <Field name="lastDay" id={`last-day-${guardianUserId}`} label={`Last day ${name} can see your record`} type="date" errors={state.fieldErrors?.lastDay} />
      <div className="row">
        <button type="submit" name="choice" value="limit" className="secondary" disabled={pending}>
          Keep access until that day
        </button>
        <button type="submit" name="choice" value="end" className="secondary" disabled={pending}>
          End access now
        </button>
      </div>
    </form>
  );
}
