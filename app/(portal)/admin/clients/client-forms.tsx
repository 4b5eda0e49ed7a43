"use client";

import { useActionState } from "react";
import { Field, FormMessage } from "@/components/field";
import { ASSIGNABLE_SCOPES, describeScope } from "@/lib/access/scopes";
import { idleFormState } from "@/lib/form-state";
import { registerBackendClientAction } from "./actions";
import styles from "./clients.module.css";

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={id}>
      {errors.join(" ")}
    </p>
  );
}

export function RegisterBackendClientForm() {
  const [state, formAction, pending] = useActionState(registerBackendClientAction, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  const chosenScopes = new Set((values.scopes ?? "").split(" ").filter(Boolean));
  const jwksDescription = ["jwks-hint", errors.jwks?.length ? "jwks-error" : null].filter(Boolean).join(" ");
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <Field name="name" id="client-name" label="Name of the hospital system" required defaultValue={values.name} errors={errors.name} />
      <div className="field">
        <label htmlFor="jwks">Public key set (JWKS)</label>
        <p className="hint" id="jwks-hint">
          Paste the JSON Web Key Set with the system&apos;s PUBLIC keys: RSA (RS384) or EC P-384 (ES384), each with a kid. Never paste a
          private key.
        </p>
        <textarea
          id="jwks"
          name="jwks"
          className={styles.keys}
          defaultValue={values.jwks}
          spellCheck={false}
          aria-invalid={errors.jwks?.length ? true : undefined}
          aria-describedby={jwksDescription}
        />
        <ErrorText id="jwks-error" errors={errors.jwks} />
      </div>
      <Field
        name="jwksUrl"
        id="jwksUrl"
        label="Or: URL of its published key set"
        hint="Leave empty when you pasted the key set. Must be https."
        type="url"
        inputMode="url"
        defaultValue={values.jwksUrl}
        errors={errors.jwksUrl}
      />
      <fieldset className={styles.scopes} aria-describedby={errors.scopes?.length ? "scopes-hint scopes-error" : "scopes-hint"}>
        <legend>Allowed scopes</legend>
        <p className={styles.hint} id="scopes-hint">
          Allow only what the system needs. It sees only this organization&apos;s patients.
        </p>
        {ASSIGNABLE_SCOPES.map((scope) => {
          const id = `scope-${scope.replace(/[^A-Za-z]/g, "-")}`;
          return (
            <div className={styles.choice} key={scope}>
              <input type="checkbox" id={id} name="scopes" value={scope} defaultChecked={chosenScopes.has(scope)} />
              <label htmlFor={id}>
                {describeScope(scope)} (<code>{scope}</code>)
              </label>
            </div>
          );
        })}
        <ErrorText id="scopes-error" errors={errors.scopes} />
      </fieldset>
      <div>
        <button type="submit" disabled={pending}>
          Register the system
        </button>
      </div>
    </form>
  );
}

