import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { getPrivacyChoices } from "@/lib/privacy/consent";
import { listPatientPrivacyRequests } from "@/lib/privacy/requests";
import { formatAtOffset } from "@/lib/time/zones";
import { decideConsentAction, privacyRequestAction } from "./actions";
import { ConsentChoice } from "./consent-choice";
import { PrivacyRequestForm } from "./request-form";

export const metadata: Metadata = { title: "Privacy and sharing" };

const decisionWords = { permit: "Yes", deny: "No" } as const;
const requestKinds = { restriction: "Restriction", erasure: "Erasure" } as const;
const requestStatuses = { open: "Waiting for an answer", completed: "Done", refused: "Refused" } as const;

export default async function SharingPage({ params }: PageProps<"/patients/[patientId]/sharing">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const choices = await orNotFound(getPrivacyChoices(actor, patientId));
  const rights = can(actor, "record:export");
  const requests = rights ? await orNotFound(listPatientPrivacyRequests(actor, patientId)) : [];
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
      {rights ? (
        <section className="panel" aria-labelledby="rights-heading">
          <h2 id="rights-heading">Your data and your rights</h2>
          <p>Download everything Lantern holds about {actor.role === "guardian" ? "your child" : "you"}, to keep or to take to another service:</p>
          <p className="row">
            <a className="button" href={`/api/patients/${patientId}/record?format=fhir`} download>
              Download the whole record (FHIR, JSON)
            </a>
            <a className="button" href={`/api/patients/${patientId}/record?format=csv`} download>
              Download the readings (CSV, for spreadsheets)
            </a>
          </p>
          <h3>Ask the clinic to stop using or delete data</h3>
          <p>
            The clinic answers within one month. Health records your care team relies on are usually kept for the time the law requires,
            even after you ask; the answer will tell you what was kept and why.
          </p>
          <PrivacyRequestForm action={privacyRequestAction.bind(null, patientId)} />
          {requests.length > 0 ? (
            <div className="table-wrap">
              <table>
                <caption>Your requests</caption>
                <thead>
                  <tr>
                    <th scope="col">Sent (UTC)</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Answer due</th>
                    <th scope="col">Status</th>
                    <th scope="col">Answer</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.map((request) => (
                    <tr key={request.id}>
                      <td>{formatAtOffset(request.requestedAt, 0)}</td>
                      <td>{requestKinds[request.kind]}</td>
                      <td>{request.dueAt.toISOString().slice(0, 10)}</td>
                      <td>{requestStatuses[request.status]}</td>
                      <td>{request.response ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
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
