import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { orNotFound } from "@/app/_lib/or-not-found";
import { countOf } from "@/components/count";
import { Field } from "@/components/field";
import { can } from "@/lib/access/permissions";
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";
import { listReadingsPage, type ReadingsPage } from "@/lib/readings/queries";
import { ReadingsTable } from "../readings-table";

export const metadata: Metadata = { title: "All readings" };

const PAGE_SIZE = 100;

function single(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

/** Every reading of a patient, reachable: a range of local days, paged newest first, 100 at a time. */
export default async function ReadingsListPage({ params, searchParams }: PageProps<"/patients/[patientId]/readings">) {
  const { patientId } = await params;
  const search = await searchParams;
  const query = { from: single(search.from), to: single(search.to), before: single(search.before) };
  const actor = await requireActor();
  const patient = await orNotFound(getVisiblePatient(actor, patientId));
  if (!can(actor, "reading:search")) notFound();

  let page: ReadingsPage | null = null;
  let fieldErrors: Record<string, string[] | undefined> = {};
  try {
    page = await orNotFound(listReadingsPage(actor, patient.id, query, { pageSize: PAGE_SIZE }));
  } catch (error) {
    if (!isAppError(error, "invalid_input")) throw error;
    fieldErrors = error.fieldErrors ?? {};
  }
  const rangeParams = new URLSearchParams(Object.entries({ from: query.from, to: query.to }).filter(([, value]) => value !== ""));
  const base = `/patients/${patient.id}/readings`;
  const withRange = (extra: Record<string, string> = {}) => {
    const next = new URLSearchParams(rangeParams);
    for (const [key, value] of Object.entries(extra)) next.set(key, value);
    const text = next.toString();
    return text ? `${base}?${text}` : base;
  };
  const rangeText = query.from || query.to ? `${query.from || "the first reading"} to ${query.to || "today"} (${patient.timezone})` : "all dates";

  return (
    <>
      <section className="panel" aria-labelledby="range-heading">
        <h2 id="range-heading">All readings</h2>
        <form method="get" action={base} className="row" aria-describedby="range-hint">
          <Field name="from" id="range-from" label="From (local date)" type="date" defaultValue={query.from} errors={fieldErrors.from} />
          <Field name="to" id="range-to" label="To (local date, included)" type="date" defaultValue={query.to} errors={fieldErrors.to} />
          <div>
            <button type="submit">Show readings</button>
          </div>
        </form>
        <p className="meta" id="range-hint">
          Dates are the patient&apos;s calendar days in {patient.timezone}. Leave both empty for every reading, newest first.
        </p>
        {fieldErrors.before ? (
          <p className="notice error" role="alert">
            {fieldErrors.before.join(" ")} <Link href={withRange()}>Newest readings</Link>
          </p>
        ) : null}
      </section>

      {page ? (
        <section className="panel" aria-labelledby="list-heading">
          <h2 id="list-heading">Readings, {rangeText}</h2>
          {page.readings.length === 0 ? (
            <p>{query.before ? "No older readings in this range." : "No readings in this range."}</p>
          ) : (
            <ReadingsTable
              readings={page.readings}
              unit={patient.preferredUnit}
              patientId={patient.id}
              mayCorrect={can(actor, "reading:correct")}
              caption={`${countOf(page.readings.length, "reading")}${query.before ? " (older page)" : ", newest first"}`}
            />
          )}
          <nav aria-label="Pages of readings" className="pager">
            {query.before ? <Link href={withRange()}>Newest readings</Link> : null}
            {page.olderCursor ? (
              <Link href={withRange({ before: page.olderCursor })} rel="next">
                Older readings
              </Link>
            ) : page.readings.length > 0 ? (
              <span className="meta">These are the oldest readings in this range.</span>
            ) : null}
          </nav>
        </section>
      ) : null}
    </>
  );
}
