"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { resetPasswordAction } from "./actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState(resetPasswordAction, idleFormState);
  const errors = state.fieldErrors ?? {};
  if (state.status === "success") {
    return (
      <>
        <FormMessage status={state.status} message={state.message} />
        <p>
          <Link href="/sign-in">Sign in</Link>
        </p>
      </>
    );
  }
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="token" value={token} />
      <Field
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 15 characters. A few unrelated words are strong and easy to remember; any characters are allowed, and pasting is fine."
        errors={errors.password}
      />
      <Field name="confirmPassword" label="Type it again" type="password" autoComplete="new-password" required errors={errors.confirmPassword} />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Set my new password"}
        </button>
      </div>
    </form>
  );
}
