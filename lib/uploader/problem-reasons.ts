import type { UnacceptableKind } from "@/lib/readings/validation";

/**
 * The sentences the devices page shows for what an app sent that Lantern did not store. Each
 * names a kind of problem, never one value or time: an app whose clock runs a day ahead sends
 * hundreds of entries failing the same way, and they count up on one row (upload_problems is
 * unique per patient, app and reason). They must stay stable: a changed sentence starts a new row.
 */

/** What was not stored, for one document: the app that sent it and why. */
export interface UploadProblem {
  app: string;
  reason: string;
}

export type DocumentKind = "Glucose entries" | "Treatments" | "Device status reports";

/** A reason one of the shared checks on times and values gave (lib/readings/validation.ts). */
export function unacceptableReason(what: DocumentKind, kind: UnacceptableKind | undefined): string {
  switch (kind) {
    case "future-time":
      return `${what} dated in the future: check the phone's date, time and time zone.`;
    case "clock-unset":
      return `${what} dated 1 January 1970 or 2000, a clock that was never set: set the device's date and time.`;
    case "before-birth":
      return `${what} dated before the patient's date of birth: check the device's clock.`;
    case "before-floor":
      return `${what} dated before the earliest date Lantern accepts: check the device's clock.`;
    case "implausible-value":
      return `${what} with glucose outside 10-1,000 mg/dL, which no meter reports.`;
    case "invalid-offset":
      return `${what} with a UTC offset outside -12:00 to +14:00.`;
    case "not-a-number":
    case "invalid-time":
    case undefined:
      return `${what} with a value or time that is not a number.`;
  }
}

/** A document Lantern cannot read: which field, and what is wrong with it. */
export function unreadableReason(what: DocumentKind, field: string, problem: string): string {
  return `${what} Lantern cannot read (${field}: ${problem}).`;
}

export const notAnObjectReason = (what: DocumentKind) => `${what} that are not JSON objects.`;
export const missingTimeReason = (what: DocumentKind, fields: string) => `${what} without a time (${fields}).`;
export const unreadableTimeReason = (what: DocumentKind) => `${what} whose time Lantern cannot read (send epoch milliseconds or ISO 8601 text).`;
