import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { getVisiblePatient } from "@/lib/patients/queries";
import { FileImport } from "./file-import";

export const metadata: Metadata = { title: "Import a file" };

export default async function ImportPage({ params }: PageProps<"/patients/[patientId]/import">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const patient = await orNotFound(getVisiblePatient(actor, patientId));
  if (!can(actor, "reading:create")) notFound();
  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a meter export file</h2>
      <p>
        Upload a CSV exported from LibreView (FreeStyle Libre), Dexcom Clarity, or a simple file with the columns <code>time,value,unit</code>. You
        will see what was found before anything is saved. Times without a UTC offset are read in {patient.timezone}. Uploading the same or an
        overlapping file again adds only what is new.
      </p>
      <FileImport patientId={patient.id} timezone={patient.timezone} />
    </section>
  );
}
