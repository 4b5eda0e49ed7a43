"use client";

import { useActionState, useState } from "react";
import { Field, FormMessage } from "@/components/field";
import { idleFormState } from "@/lib/form-state";
import { createChannelAction } from "./actions";
import styles from "./notifications.module.css";

/** Adds a webhook or an email address; a new webhook's signing secret is shown here, once. */
export function ChannelForm({ kind }: { kind: "webhook" | "email" }) {
  const [state, formAction, pending] = useActionState(createChannelAction, idleFormState);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};
  const values = state.status === "error" ? (state.values ?? {}) : {};
  const secret = state.status === "success" ? state.values?.signingSecret : undefined;
  return (
    <form action={formAction} className="stack" noValidate>
      <FormMessage status={state.status} message={state.message} />
      {secret ? <SigningSecret secret={secret} /> : null}
      <input type="hidden" name="kind" value={kind} />
      <Field name="name" id={`${kind}-name`} label="Name" required defaultValue={values.name} errors={errors.name} hint={kind === "webhook" ? "e.g. Ward 7 on-call system" : "e.g. Ward 7 desk"} />
      {kind === "webhook" ? (
        <Field name="target" id="webhook-url" label="Webhook URL" type="url" inputMode="url" required defaultValue={values.target} errors={errors.target} hint="https (plain http only for localhost); the host must be on this deployment's outbound allowlist" />
      ) : (
        <Field name="target" id="email-address" label="Email address" type="email" autoComplete="off" required defaultValue={values.target} errors={errors.target} />
      )}
      <div>
        <button type="submit" disabled={pending}>
          {kind === "webhook" ? "Add webhook" : "Add email address"}
        </button>
      </div>
    </form>
  );
}

function SigningSecret({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={styles.secretBlock}>
      <p id="signing-secret-label">Signing secret (shown once)</p>
      <output className={styles.secretValue} aria-labelledby="signing-secret-label" data-testid="signing-secret">
        {secret}
      </output>
      <div>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void navigator.clipboard.writeText(secret).then(() => setCopied(true));
          }}
        >
          Copy secret
        </button>{" "}
        <span role="status">{copied ? "Copied." : ""}</span>
      </div>
    </div>
  );
}
