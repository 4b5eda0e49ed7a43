"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { changePasswordAction } from "./actions";

export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState(changePasswordAction, idleFormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required errors={errors.currentPassword} />
      <Field
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 15 characters. A few unrelated words are strong and easy to remember; any characters are allowed, and pasting is fine."
        errors={errors.password}
      />
      <Field name="confirmPassword" label="Type the new password again" type="password" autoComplete="new-password" required errors={errors.confirmPassword} />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
