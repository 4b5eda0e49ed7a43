import { notFound, redirect } from "next/navigation";
import { getOwnPatientId } from "@/lib/patients/queries";
import { requireActor } from "@/lib/auth/session";

/** Each role starts at its own home. */
export default async function HomePage() {
  const actor = await requireActor();
  switch (actor.role) {
    case "patient": {
      const patientId = await getOwnPatientId(actor);
      if (!patientId) notFound();
      redirect(`/patients/${patientId}`);
    }
    case "guardian":
      redirect("/guardian");
    case "clinician":
      redirect("/clinician");
    case "admin":
      redirect("/admin");
    case "privacy_officer":
      redirect("/privacy-officer");
  }
}
