import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { listPrivacyRequests } from "@/lib/privacy/requests";
import { formatAtOffset } from "@/lib/time/zones";
import { answerPrivacyRequestAction } from "./actions";
import { AnswerForm } from "./answer-form";

export const metadata: Metadata = { title: "Privacy requests" };

/** Restriction and erasure requests, open ones first by deadline (one month from receipt, GDPR Art 12(3)). */
export default async function PrivacyRequestsPage() {
  const actor = await requireActor();
  const requests = await orNotFound(listPrivacyRequests(actor));
  return (
    <>
      <h1>Privacy requests</h1>
      {requests.length === 0 ? <p>No restriction or erasure requests.</p> : null}
      {requests.map((request) => (
        <section key={request.id} className="panel" aria-labelledby={`request-${request.id}`}>
          <h2 id={`request-${request.id}`}>
            {request.kind === "erasure" ? "Erasure" : "Restriction"} request, record {request.medicalRecordNumber ?? request.patientId}
          </h2>
          <dl className="facts">
            <dt>Received (UTC)</dt>
            <dd>{formatAtOffset(request.requestedAt, 0)}</dd>
            <dt>Answer due</dt>
            <dd>
              {request.dueAt.toISOString().slice(0, 10)}
              {request.overdue ? <strong> (overdue)</strong> : null}
            </dd>
            <dt>Asked by</dt>
            <dd>{request.requestedAs === "guardian" ? "A guardian" : "The patient"}</dd>
            <dt>Request</dt>
            <dd>{request.details}</dd>
            <dt>Status</dt>
            <dd>{request.status}</dd>
            {request.status !== "open" ? (
              <>
                <dt>Care records kept (exemption)</dt>
                <dd>{request.careRecordsExemption ? "Yes" : "No"}</dd>
                <dt>Answer</dt>
                <dd>{request.response}</dd>
              </>
            ) : null}
          </dl>
          {request.status === "open" ? <AnswerForm action={answerPrivacyRequestAction.bind(null, request.id)} requestId={request.id} /> : null}
        </section>
      ))}
    </>
  );
}
