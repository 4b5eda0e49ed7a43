"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { NewPasswordFields } from "@/components/new-password-fields";
import { idleFormState } from "@/lib/form-state";
import { changePasswordAction } from "./actions";

export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState(changePasswordAction, idleFormState);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required errors={errors.currentPassword} />
      <NewPasswordFields errors={errors} confirmLabel="Type the new password again" />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
