import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { getPrivacyChoices } from "@/lib/privacy/consent";
import { formatAtOffset } from "@/lib/time/zones";
import { decideConsentAction } from "./actions";
import { ConsentChoice } from "./consent-choice";

export const metadata: Metadata = { title: "Privacy and sharing" };

const decisionWords = { permit: "Yes", deny: "No" } as const;

export default async function PrivacyPage({ params }: PageProps<"/patients/[patientId]/privacy">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const choices = await orNotFound(getPrivacyChoices(actor, patientId));
  const titleOf = (id: string) => choices.purposes.find((purpose) => purpose.id === id)?.title ?? id;
  const youDecide = actor.role === choices.decidedBy;

  return (
    <>
      <section className="panel" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy and sharing</h2>
        <p>
          {choices.decidedBy === "guardian"
            ? `Until the age of ${choices.digitalConsentAge}, a parent or guardian makes these choices. The care team always sees the readings to look after you.`
            : "You make these choices. The care team always sees your readings to look after you."}{" "}
          {youDecide ? "You can change any choice at any time; it takes effect straight away." : null}
        </p>
      </section>
      {choices.purposes.map((purpose) => (
        <section key={purpose.id} className="panel" aria-labelledby={`purpose-${purpose.id}`}>
          <h3 id={`purpose-${purpose.id}`}>{purpose.title}</h3>
          <p>{purpose.explanation}</p>
          <p>
            <strong>Now: {purpose.permitted ? "on" : "off"}</strong>
            {purpose.current ? ` (decided ${formatAtOffset(purpose.current.decidedAt, 0)} UTC)` : purpose.decidable ? " (nobody has decided yet)" : null}
          </p>
          {purpose.decidable && purpose.lockedBecause === null ? (
            <ConsentChoice action={decideConsentAction.bind(null, patientId)} purpose={purpose.id} title={purpose.title} permitted={purpose.permitted} />
          ) : purpose.decidable ? (
            <p className="meta">{purpose.lockedBecause}</p>
          ) : null}
        </section>
      ))}
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">Every choice made</h2>
        {choices.history.length === 0 ? (
          <p>No choices made yet: everything is as described above.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">What</th>
                  <th scope="col">Choice</th>
                  <th scope="col">Made by</th>
                  <th scope="col">Privacy notice</th>
                </tr>
              </thead>
              <tbody>
                {choices.history.map((record) => (
                  <tr key={record.id}>
                    <td>{formatAtOffset(record.decidedAt, 0)}</td>
                    <td>{titleOf(record.purpose)}</td>
                    <td>{decisionWords[record.decision]}</td>
                    <td>{record.decidedAs === "guardian" ? "Parent or guardian" : "The patient"}</td>
                    <td>{record.policyVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
