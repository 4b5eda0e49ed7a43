import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { careTeamsForRegistration } from "@/lib/people/registration";
import { ClinicRegistrationForm } from "./registration-form";

export const metadata: Metadata = { title: "Register a patient" };

/** Clinicians and admins register a patient, and a child with their guardians. */
export default async function RegisterPatientPage() {
  const actor = await requireActor();
  const teams = await orNotFound(careTeamsForRegistration(actor));
  return (
    <>
      <h1>Register a patient</h1>
      <p className="meta">Nobody at the clinic sets or sees a password: the patient and guardians get an email to choose their own.</p>
      {teams.length === 0 ? (
        <p>You are on no care team yet; a patient needs one. Ask an administrator.</p>
      ) : (
        <div className="panel">
          <ClinicRegistrationForm teams={teams.map((team) => ({ value: team.id, label: team.name }))} timeZones={Intl.supportedValuesOf("timeZone")} confirmsGuardians={actor.role === "clinician"} />
        </div>
      )}
    </>
  );
}
