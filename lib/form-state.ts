/** What a server action hands back to its form: a message, per-field errors, and what was typed. */
export interface FormState {
  status: "idle" | "error" | "success";
  message?: string;
  /** A credential shown exactly once (a device token, an API secret), displayed apart from the message with a copy button. */
  secret?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
}

export const idleFormState: FormState = { status: "idle" };

export function formValues(formData: FormData, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !key.startsWith("$") && !omit.includes(key)) values[key] = value;
  }
  return values;
}

