"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { confirmSetupAction, newAuthenticatorAction, type SetupState, turnOffAction } from "./actions";

export function ConfirmSetupForm() {
  const [state, formAction, pending] = useActionState<SetupState, FormData>(confirmSetupAction, idleFormState);
  if (state.recoveryCodes) {
    return (
      <div className="stack">
        <FormMessage status={state.status} message={state.message} />
        <ol className="recovery-codes" aria-label="Recovery codes">
          {state.recoveryCodes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <p>Keep them somewhere safe, apart from your phone. Each signs in once in place of a code.</p>
        <p>
          <Link href="/">I have saved my recovery codes: continue</Link>
        </p>
      </div>
    );
  }
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="code" label="Code from the app" autoComplete="one-time-code" inputMode="numeric" required errors={state.fieldErrors?.code} />
      <div>
        <button type="submit" disabled={pending}>
          Turn on two-step sign-in
        </button>
      </div>
    </form>
  );
}

function ReauthenticationFields({ errors }: { errors: Record<string, string[] | undefined> }) {
  return (
    <>
      <Field name="password" label="Your password" type="password" autoComplete="current-password" required errors={errors.password} />
      <Field name="code" label="Current code or a recovery code" autoComplete="one-time-code" required errors={errors.code} />
    </>
  );
}

export function NewAuthenticatorForm() {
  const [state, formAction, pending] = useActionState(newAuthenticatorAction, idleFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <ReauthenticationFields errors={state.fieldErrors ?? {}} />
      <div>
        <button type="submit" disabled={pending}>
          Set up a new authenticator
        </button>
      </div>
    </form>
  );
}

export function TurnOffForm() {
  const [state, formAction, pending] = useActionState(turnOffAction, idleFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <ReauthenticationFields errors={state.fieldErrors ?? {}} />
      <div>
        <button type="submit" className="secondary" disabled={pending}>
          Turn off two-step sign-in
        </button>
      </div>
    </form>
  );
}
