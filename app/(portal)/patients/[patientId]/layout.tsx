import { orNotFound } from "@/app/_lib/or-not-found";
import { PatientNav } from "@/components/patient-nav";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { getVisiblePatient } from "@/lib/patients/queries";

/** The patient's name, the guardian indicator and the patient sections. Pages authorize again. */
export default async function PatientLayout({ children, params }: LayoutProps<"/patients/[patientId]">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const patient = await orNotFound(getVisiblePatient(actor, patientId));
  const name = `${patient.givenName} ${patient.familyName}`;
  return (
    <>
      {actor.role === "guardian" ? <p className="notice success">You are viewing as guardian of {name}.</p> : null}
      <h1>{actor.role === "patient" ? "My glucose" : name}</h1>
      <PatientNav
        patientId={patient.id}
        sections={{ readings: can(actor, "reading:search"), devices: can(actor, "device:manage"), import: can(actor, "reading:create"), privacy: can(actor, "accessLog:read"), sharing: can(actor, "consent:read") }}
      />
      {children}
    </>
  );
}
