import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PatientTable } from "@/components/patient-table";
import { requireActor } from "@/lib/auth/session";
import { openGlucoseAlerts } from "@/lib/monitoring/inbox";
import { listVisiblePatients } from "@/lib/patients/queries";

export const metadata: Metadata = { title: "My patients" };

export default async function ClinicianHomePage() {
  const actor = await requireActor();
  if (actor.role !== "clinician") notFound();
  const patients = await listVisiblePatients(actor);
  const openAlerts = await openGlucoseAlerts(actor, patients.map((patient) => patient.id));
  return (
    <>
      <h1>My patients</h1>
      <p className="meta">
        Patients of your care teams, with their latest reading and their open lows and highs. <Link href="/clinician/alerts">Open the alert inbox</Link>.
      </p>
      <p>
        <Link href="/patients/new">Register a patient</Link> (a child with their parents or guardians, or an adult)
      </p>
      <PatientTable patients={patients} caption={`${patients.length} patients`} showLastReading openAlerts={openAlerts} />
    </>
  );
}
