import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { reviewQueue } from "@/lib/oversight/access-log";
import { MarkReviewedForm } from "./review-form";

export const metadata: Metadata = { title: "Access review" };

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The privacy officer's review queue: access granted by admins, and every break-glass. */
export default async function PrivacyOfficerPage() {
  const actor = await requireActor();
  const queue = await orNotFound(reviewQueue(actor));
  const waiting = queue.filter((item) => !item.reviewedAt).length;
  return (
    <>
      <h1>Access review</h1>
      <p className="meta">
        Access granted by administrators (staff accounts, care teams, hospital systems, endpoints) and every emergency (break-glass) access. {waiting} waiting for review.{" "}
        <Link href="/audit">Search the audit trail</Link>
      </p>
      <div className="table-wrap">
        <table>
          <caption>Review queue, waiting first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((item) => (
              <tr key={item.seq}>
                <td>{dateTime.format(item.occurredAt)}</td>
                <td>
                  {item.who} ({item.role})
                </td>
                <td>
                  {item.breakGlass ? <strong>Break-glass: </strong> : "Granted access: "}
                  {item.resourceType}
                  {item.reason ? ` — “${item.reason}”` : ""}
                </td>
                <td>{item.reviewedAt ? `Reviewed by ${item.reviewedBy ?? "?"}, ${dateTime.format(item.reviewedAt)}` : <MarkReviewedForm auditSeq={Number(item.seq)} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
