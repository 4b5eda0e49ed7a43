import { Field } from "@/components/field";

/** A new password and its confirmation, with the password policy's hint: set, reset and change forms share them. */
export function NewPasswordFields({ errors, confirmLabel = "Type it again" }: { errors: Record<string, string[] | undefined>; confirmLabel?: string }) {
  return (
    <>
      <Field
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 15 characters. A few unrelated words are strong and easy to remember; any characters are allowed, and pasting is fine."
        errors={errors.password}
      />
      <Field name="confirmPassword" label={confirmLabel} type="password" autoComplete="new-password" required errors={errors.confirmPassword} />
    </>
  );
}
