"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/field";
import type { GlucoseUnit } from "@/lib/readings/units";
import { idleFormState } from "@/lib/form-state";
import { unitPreferenceAction } from "./actions";

/** mg/dL, mmol/L, or each patient's own unit: the default of the triage list and every report. */
export function UnitPreferenceForm({ current }: { current: GlucoseUnit | null }) {
  const [state, formAction, pending] = useActionState(unitPreferenceAction, idleFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <div className="field">
        <label htmlFor="unit-preference">Show glucose in</label>
        <select id="unit-preference" name="unit" defaultValue={current ?? "patient"}>
          <option value="patient">Each patient&apos;s own unit</option>
          <option value="mg/dL">mg/dL</option>
          <option value="mmol/L">mmol/L</option>
        </select>
      </div>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
