import { readFileSync } from "node:fs";
import path from "node:path";
import type { SeededAccount, SeededBackendClient } from "@/lib/demo/seed";

/** What the e2e server seeded before it started: accounts with their generated passwords, and ids. */
export interface E2eWorld {
  admin: SeededAccount;
  clinician: SeededAccount;
  fingerstickPatient: SeededAccount;
  cgmPatient: SeededAccount;
  guardian: SeededAccount;
  outsiderPatient: SeededAccount;
  privacyOfficer: SeededAccount;
  /** A patient of the clinician's care team whose only readings are those the alerts tests send. */
  alertPatient: SeededAccount;
  /** A patient on no care team whose only readings are those the alert-notification spec sends. */
  notifyPatient: SeededAccount;
  /** A patient on no care team whose only readings are those the FHIR Flag spec sends. */
  flagPatient: SeededAccount;
  /** A patient on no care team whose only readings are those the Nightscout spec's uploader sends. */
  nightscoutPatient: SeededAccount;
  /** A clinician without an authenticator: their first sign-in sets one up. */
  newcomerClinician: SeededAccount;
  /** A clinician with an authenticator used only by the two-step sign-in spec (its recovery codes and wrong codes). */
  twoStepClinician: SeededAccount;
  /** `grownUp` turned 18 today: the guardian's link to them no longer gives access. */
  patientIds: { fingerstick: string; cgm: string; youngChild: string; teenager: string; child: string; outsider: string; grownUp: string; alert: string; notify: string; flag: string };
  /** The demo hospital system, with its private key, for SMART Backend Services. */
  backendClient: SeededBackendClient;
  careTeamId: string;
}

export const worldFile = path.join(import.meta.dirname, "..", ".world.json");
/** Every email the e2e server sent, one JSON object (test/smtp-receiver.ts ReceivedMail) a line. */
export const mailboxFile = path.join(import.meta.dirname, "..", "..", "test-results", "e2e-mailbox.jsonl");
/** Everything the e2e server printed, kept with the test results. */
export const serverLogFile = path.join(import.meta.dirname, "..", "..", "test-results", "e2e-server.log");

export function loadWorld(): E2eWorld {
  return JSON.parse(readFileSync(worldFile, "utf8")) as E2eWorld;
}
