"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormMessage } from "@/components/field";
import { NewPasswordFields } from "@/components/new-password-fields";
import { idleFormState } from "@/lib/form-state";
import { setPasswordAction } from "./actions";

export function SetPasswordForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState(setPasswordAction, idleFormState);
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
      <NewPasswordFields errors={errors} />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Set my password"}
        </button>
      </div>
    </form>
  );
}
