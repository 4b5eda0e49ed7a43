import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { countOf } from "@/components/count";
import { PatientTable } from "@/components/patient-table";
import { requireActor } from "@/lib/auth/session";
import { listVisiblePatients } from "@/lib/patients/queries";

export const metadata: Metadata = { title: "People I care for" };

export default async function GuardianHomePage() {
  const actor = await requireActor();
  if (actor.role !== "guardian") notFound();
  const patients = await listVisiblePatients(actor);
  return (
    <>
      <h1>People I care for</h1>
      <p className="meta">You act on their behalf as their guardian.</p>
      <PatientTable patients={patients} caption={countOf(patients.length, "person", "people")} showLastReading />
    </>
  );
}
