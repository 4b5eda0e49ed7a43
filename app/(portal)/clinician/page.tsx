import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { countOf } from "@/components/count";
import { PatientTable } from "@/components/patient-table";
import { requireActor } from "@/lib/auth/session";
import { listVisiblePatients } from "@/lib/patients/queries";

export const metadata: Metadata = { title: "My patients" };

export default async function ClinicianHomePage() {
  const actor = await requireActor();
  if (actor.role !== "clinician") notFound();
  const patients = await listVisiblePatients(actor);
  return (
    <>
      <h1>My patients</h1>
      <p className="meta">Patients of your care teams, with their latest reading.</p>
      <PatientTable patients={patients} caption={countOf(patients.length, "patient")} showLastReading />
    </>
  );
}
