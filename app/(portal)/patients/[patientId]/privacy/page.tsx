import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { AccessTable } from "@/components/access-table";
import { requireActor } from "@/lib/auth/session";
import { accessLogOf, whoCanSee } from "@/lib/oversight/access-log";
import { CompetenceForm, ConfirmGuardianForm, LimitGuardianForm, RenewGuardianForm } from "./guardian-forms";

export const metadata: Metadata = { title: "Who can see this record" };

const statusWords = { active: "can see it", "awaiting-confirmation": "waiting for a clinician to confirm them", ended: "no longer can see it" } as const;

/** "Who can see my data" and "who accessed my data", in words a child can follow. */
export default async function PrivacyPage({ params }: PageProps<"/patients/[patientId]/privacy">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const [seen, log] = await orNotFound(Promise.all([whoCanSee(actor, patientId), accessLogOf(actor, patientId)]));
  return (
    <>
      <section className="panel" aria-labelledby="who-can-see">
        <h2 id="who-can-see">Who can see this record</h2>
        <h3>Parents and guardians</h3>
        {seen.guardians.length === 0 ? (
          <p>No parent or guardian.</p>
        ) : (
          <ul>
            {seen.guardians.map((guardian) => (
              <li key={guardian.userId}>
                {guardian.name} {statusWords[guardian.status]}
                {guardian.status === "active" ? ` until ${guardian.accessEnds}` : ""}.
                {seen.mayVerifyGuardians && guardian.status === "awaiting-confirmation" ? <ConfirmGuardianForm patientId={patientId} guardianUserId={guardian.userId} name={guardian.name} /> : null}
                {seen.mayVerifyGuardians && guardian.status !== "awaiting-confirmation" ? <RenewGuardianForm patientId={patientId} guardianUserId={guardian.userId} name={guardian.name} /> : null}
                {seen.mayLimitGuardians && guardian.status === "active" ? <LimitGuardianForm patientId={patientId} guardianUserId={guardian.userId} name={guardian.name} /> : null}
              </li>
            ))}
          </ul>
        )}
        <p className="meta">
          A parent or guardian&apos;s access ends on the 18th birthday, unless the care team renews it. Once your care team agrees you can decide for yourself, you can
          choose a last day for each of them, or end their access now.
        </p>
        {seen.competence ? (
          <p>
            {seen.competence.competent ? "The care team agreed you can decide who sees your record" : "The care team has not yet agreed you can decide this on your own"} (
            {seen.competence.assessedAt.toISOString().slice(0, 10)}).
          </p>
        ) : null}
        {seen.mayVerifyGuardians && seen.guardians.length > 0 ? <CompetenceForm patientId={patientId} /> : null}
        <h3>Care team</h3>
        <ul>
          {seen.careTeams.map((team) => (
            <li key={team.name}>
              {team.name}: {team.clinicians.join(", ") || "no clinician yet"}
            </li>
          ))}
        </ul>
        {seen.breakGlass.length > 0 ? (
          <>
            <h3>Emergency access now</h3>
            <ul>
              {seen.breakGlass.map((grant) => (
                <li key={`${grant.clinician}-${grant.until.toISOString()}`}>
                  {grant.clinician}, until {grant.until.toISOString().slice(0, 16).replace("T", " ")} UTC: “{grant.reason}”
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="meta">The clinic&apos;s administrators see who you are and your devices, not your readings. The privacy officer checks who looked.</p>
      </section>
      <section className="panel" aria-labelledby="who-accessed">
        <h2 id="who-accessed">Who accessed this record</h2>
        <AccessTable entries={log} caption="The latest 200 times someone or something used this record" />
      </section>
    </>
  );
}
