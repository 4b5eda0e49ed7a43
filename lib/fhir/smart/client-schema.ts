import { z } from "zod";
import { ASSIGNABLE_SCOPES } from "@/lib/access/scopes";
import { checkJwksUrl, parseJwksText } from "./jwks";

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

/**
 * A hospital system to register for the FHIR API (SMART Backend Services): its public keys,
 * pasted as a JWK Set or published at an https URL (exactly one), and the scopes it may ask for.
 * Scopes arrive as the form's checkboxes (an array) or as one space separated string (the CLI).
 */
export const backendClientSchema = z
  .object({
    name: z.string().trim().min(1, "Enter the name of the hospital system").max(200, "Use at most 200 characters"),
    jwks: optionalText.transform((text, context) => {
      if (text === undefined) return undefined;
      const verdict = parseJwksText(text);
      if (verdict.ok) return verdict.jwks;
      context.addIssue({ code: "custom", message: verdict.message });
      return z.NEVER;
    }),
    jwksUrl: optionalText.transform((text, context) => {
      if (text === undefined) return undefined;
      const verdict = checkJwksUrl(text);
      if (verdict.ok) return verdict.url;
      context.addIssue({ code: "custom", message: verdict.message });
      return z.NEVER;
    }),
    scopes: z.preprocess(
      (value) => (typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value),
      z
        .array(z.enum(ASSIGNABLE_SCOPES, { message: `Choose scopes from: ${ASSIGNABLE_SCOPES.join(" ")}` }), { message: "Choose at least one scope" })
        .min(1, "Choose at least one scope")
        .transform((scopes) => [...new Set(scopes)]),
    ),
  })
  // Checked even when other fields failed, so every problem shows at once.
  .superRefine(
    ({ jwks, jwksUrl }, context) => {
      if (jwks && jwksUrl) context.addIssue({ code: "custom", path: ["jwks"], message: "Paste the key set or give its URL, not both" });
      if (!jwks && !jwksUrl) context.addIssue({ code: "custom", path: ["jwks"], message: "Paste the system's public key set (JWKS), or give the URL where it is published" });
    },
    { when: ({ value }) => typeof value === "object" && value !== null },
  )
  .transform(({ name, scopes, jwks, jwksUrl }) => ({ name, scopes, keys: jwks ? { jwks } : { jwksUrl: jwksUrl! } }));
