"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { verifyEmailAction } from "./actions";

/** A button rather than confirming on opening: mail scanners that fetch links confirm nothing. */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState(verifyEmailAction, idleFormState);
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
    <form action={formAction} className="stack">
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="token" value={token} />
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Confirming…" : "Confirm my email"}
        </button>
      </div>
    </form>
  );
}
