import type { ConsentDecider, ConsentDecision, DecidablePurpose } from "@/db/schema/privacy";
import { ageOn } from "@/lib/time/age";

/**
 * The purposes Lantern processes patient data for, each with its lawful basis (PRIVACY-SECURITY.md
 * C1, GDPR Art 6 and 9). Pure: the privacy page, the FHIR Consent mapping, the record of processing
 * and docs/privacy-data.md read this one list. Optional purposes are off until someone says yes;
 * each is decided on its own (unbundled), and saying no takes the same one step as saying yes.
 */

/** The version of the privacy notice a decision is made under; change it when the text below changes. */
export const PRIVACY_POLICY_VERSION = "2026-12-01";

export type PurposeId = "direct-care" | DecidablePurpose;

export interface Purpose {
  id: PurposeId;
  title: string;
  /** What it means, in words a twelve-year-old can follow. */
  explanation: string;
  /** The lawful basis, as a data protection officer would cite it. */
  lawfulBasis: string;
  /** Direct care is not a choice; the others are decided by the patient or their guardian. */
  decidable: boolean;
  /** Whether the purpose applies when nobody has decided yet. */
  onByDefault: boolean;
}

export const PURPOSES: readonly Purpose[] = [
  {
    id: "direct-care",
    title: "Your care team looking after you",
    explanation:
      "The nurses and doctors in your clinic's care team see your readings so they can look after you. This is part of your care, so it is not a choice here; it lasts while the clinic cares for you.",
    lawfulBasis: "GDPR/UK GDPR Art 6(1)(e) (task in the public interest) or 6(1)(b), with Art 9(2)(h) (provision of health care); HIPAA treatment",
    decidable: false,
    onByDefault: true,
  },
  {
    id: "hospital-sharing",
    title: "Sharing with your hospital's computer systems",
    explanation:
      "Your clinic's hospital record systems get your readings, so doctors there see them too. This is on unless you say no. If you say no, those systems stop getting your data straight away; your care team here still sees it.",
    lawfulBasis: "Art 6(1)(e) with Art 9(2)(h) (health care), with the right to object (Art 21); HIPAA treatment",
    decidable: true,
    onByDefault: true,
  },
  {
    id: "research",
    title: "Health research",
    explanation:
      "Researchers approved by your clinic may use your readings, without your name, to learn how to treat diabetes better. Only if you say yes. You can change your mind at any time.",
    lawfulBasis: "Consent: Art 6(1)(a) with explicit consent under Art 9(2)(a); HIPAA authorization (45 CFR 164.508)",
    decidable: true,
    onByDefault: false,
  },
  {
    id: "product-analytics",
    title: "Helping us improve Lantern",
    explanation: "We count which pages of Lantern are used and how, never your readings, to make it easier to use. Only if you say yes.",
    lawfulBasis: "Consent: Art 6(1)(a); ePrivacy (PECR reg 6) for any device storage",
    decidable: true,
    onByDefault: false,
  },
  {
    id: "marketing",
    title: "News and offers by email",
    explanation: "Emails about products and services. Only if you say yes, and never for anyone under 18.",
    lawfulBasis: "Consent: Art 6(1)(a); PECR reg 22. Never for children (ICO Age Appropriate Design Code std 7, 12)",
    decidable: true,
    onByDefault: false,
  },
];

export function purposeOf(id: PurposeId): Purpose {
  return PURPOSES.find((purpose) => purpose.id === id)!;
}

/** Who the decision is about, on the day it is made. */
export interface ConsentSubject {
  birthDate: string;
  /** The patient's local date, ISO. */
  today: string;
  /** LANTERN_DIGITAL_CONSENT_AGE. */
  digitalConsentAge: number;
}

const ADULT_AGE = 18;

/** Below the age of digital consent a child's optional purposes are their guardian's decision (Art 8, COPPA). */
export function decidedBy(subject: ConsentSubject): ConsentDecider {
  return ageOn(subject.birthDate, subject.today) < subject.digitalConsentAge ? "guardian" : "patient";
}

/**
 * Why this person may not make this decision, as a sentence for them, or null when they may. The
 * patient decides from the age of digital consent; below it their guardian does. Marketing is
 * never allowed for anyone under 18, whoever asks.
 */
export function refusalOf(purpose: DecidablePurpose, decision: ConsentDecision, subject: ConsentSubject, decider: ConsentDecider): string | null {
  const expected = decidedBy(subject);
  if (decider !== expected) {
    return expected === "guardian"
      ? "Until you are old enough to decide this yourself, your parent or guardian makes this choice with you. Ask them to change it in Lantern."
      : "From the age of digital consent the patient decides this for themself; a guardian can no longer change it.";
  }
  if (purpose === "marketing" && decision === "permit" && ageOn(subject.birthDate, subject.today) < ADULT_AGE) {
    return "Lantern never uses a child's data for marketing, so this cannot be switched on before 18.";
  }
  return null;
}

/** Whether data may be used for the purpose now, given the current decision (if any). */
export function isPermitted(purpose: DecidablePurpose, current: ConsentDecision | null, subject: Pick<ConsentSubject, "birthDate" | "today">): boolean {
  if (purpose === "marketing" && ageOn(subject.birthDate, subject.today) < ADULT_AGE) return false;
  if (current === null) return purposeOf(purpose).onByDefault;
  return current === "permit";
}
