import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { environment } from "@/lib/config";
import { BreakGlassForm } from "./break-glass-form";

export const metadata: Metadata = { title: "Emergency access" };

export default async function BreakGlassPage() {
  const actor = await requireActor();
  if (!can(actor, "breakGlass:start")) notFound();
  return (
    <>
      <h1>Emergency access (break-glass)</h1>
      <p className="meta">
        For a patient outside your care teams who needs you now. You can read their record, not change it, for {environment().LANTERN_BREAK_GLASS_HOURS} hours. Every view is
        recorded, the privacy officer reviews it, and the patient sees it.
      </p>
      <div className="panel">
        <BreakGlassForm />
      </div>
    </>
  );
}
