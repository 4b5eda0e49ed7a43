import type { InputHTMLAttributes, ReactNode } from "react";
import { SecretBlock } from "./secret-block";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  hint?: ReactNode;
  errors?: string[];
}

/** A labelled input whose hint and errors are announced with it (aria-describedby). */
export function Field({ name, label, hint, errors, id = name, ...input }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

interface SelectFieldProps {
  name: string;
  id?: string;
  label: string;
  options: readonly { value: string; label: string }[];
  defaultValue?: string;
  errors?: string[];
  required?: boolean;
}

export function SelectField({ name, id = name, label, options, defaultValue, errors, required }: SelectFieldProps) {
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {/* Keyed by its default: React's form reset restores a select's first default otherwise. */}
      <select key={defaultValue} id={id} name={name} defaultValue={defaultValue} required={required} aria-invalid={errorId ? true : undefined} aria-describedby={errorId}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

interface TextAreaFieldProps {
  name: string;
  label: string;
  hint?: string;
  defaultValue?: string;
  errors?: string[];
  maxLength?: number;
}

export function TextAreaField({ name, label, hint, defaultValue, errors, maxLength }: TextAreaFieldProps) {
  const hintId = hint ? `${name}-hint` : undefined;
  const errorId = errors?.length ? `${name}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <textarea
        id={name}
        name={name}
        defaultValue={defaultValue}
        maxLength={maxLength}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      />
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

function FieldError({ id, errors }: { id?: string; errors?: string[] }) {
  if (!id || !errors?.length) return null;
  return (
    <p className="field-error" id={id}>
      {errors.join(" ")}
    </p>
  );
}

export function FormMessage({ status, message, secret }: { status: "idle" | "error" | "success"; message?: string; secret?: string }) {
  if (status === "idle" || !message) return null;
  if (secret) return <SecretBlock message={message} secret={secret} />;
  return (
    <div className={`notice ${status}`} role={status === "error" ? "alert" : "status"}>
      {message}
    </div>
  );
}
