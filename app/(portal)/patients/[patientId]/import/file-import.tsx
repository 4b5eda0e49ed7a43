"use client";

import Link from "next/link";
import { useState } from "react";
import type { ImportSummary } from "@/lib/imports/file-import";
import { PREVIEW_BYTES } from "@/lib/imports/limits";
import { countOf } from "@/components/count";

type Stage =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "preview"; file: File; summary: ImportSummary }
  | { kind: "importing"; file: File; sentBytes: number }
  | { kind: "done"; summary: ImportSummary }
  | { kind: "error"; message: string };

const formatNames = { libreview: "LibreView (FreeStyle Libre)", "dexcom-clarity": "Dexcom Clarity", generic: "time, value, unit" } as const;

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: string };
    return body.message ?? `The server answered ${response.status}.`;
  } catch {
    return `The server answered ${response.status}.`;
  }
}

/** Choose a file, see what it holds, confirm, and watch the import progress. */
/** The patient's local calendar date of an instant, YYYY-MM-DD (en-CA writes dates that way). */
function localDateOf(isoInstant: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(isoInstant));
}

export function FileImport({ patientId, timezone }: { patientId: string; timezone: string }) {
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const endpoint = `/api/patients/${patientId}/imports`;

  async function preview(file: File) {
    setStage({ kind: "checking" });
    // The preview is read from the file's beginning: send only that, and the file's size for the estimate.
    const response = await fetch(`${endpoint}?mode=preview&size=${file.size}`, {
      method: "POST",
      body: file.slice(0, PREVIEW_BYTES),
      headers: { "Content-Type": "application/octet-stream" },
    });
    if (!response.ok) return setStage({ kind: "error", message: await errorMessage(response) });
    setStage({ kind: "preview", file, summary: (await response.json()) as ImportSummary });
  }

  async function commit(file: File) {
    setStage({ kind: "importing", file, sentBytes: 0 });
    const response = await fetch(`${endpoint}?mode=commit`, { method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" } });
    if (!response.ok || !response.body) return setStage({ kind: "error", message: await errorMessage(response) });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines.filter(Boolean)) {
        const message = JSON.parse(line) as { type: "progress"; bytes: number } | { type: "done"; summary: ImportSummary } | { type: "error"; message: string };
        if (message.type === "progress") setStage({ kind: "importing", file, sentBytes: message.bytes });
        else if (message.type === "done") setStage({ kind: "done", summary: message.summary });
        else setStage({ kind: "error", message: message.message });
      }
    }
  }

  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="import-file">Export file (CSV, up to 50 MB)</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,.txt,text/csv"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void preview(file);
          }}
        />
      </div>
      <div aria-live="polite">
        {stage.kind === "checking" ? <p>Reading the file…</p> : null}
        {stage.kind === "error" ? (
          <div className="notice error" role="alert">
            {stage.message}
          </div>
        ) : null}
        {stage.kind === "preview" ? (
          <>
            <SummaryFacts summary={stage.summary} />
            {stage.summary.readings > 0 ? (
              <button type="button" onClick={() => void commit(stage.file)}>
                {stage.summary.sampled ? "Import the whole file" : `Import ${countOf(stage.summary.readings, "reading")}`}
              </button>
            ) : (
              <p>There is nothing to import in this file.</p>
            )}
          </>
        ) : null}
        {stage.kind === "importing" ? (
          <div className="field">
            <label htmlFor="import-progress">Importing…</label>
            <progress id="import-progress" max={stage.file.size} value={stage.sentBytes} />
          </div>
        ) : null}
        {stage.kind === "done" ? (
          <>
            <div className="notice success" role="status">
              Imported {countOf(stage.summary.accepted ?? 0, "new reading")}; {stage.summary.duplicates ?? 0} were already in the record.
            </div>
            {stage.summary.firstTime && stage.summary.lastTime ? (
              <p>
                <Link
                  href={`/patients/${patientId}/readings?${new URLSearchParams({ from: localDateOf(stage.summary.firstTime, timezone), to: localDateOf(stage.summary.lastTime, timezone) })}`}
                >
                  See the readings of the imported period ({localDateOf(stage.summary.firstTime, timezone)} to {localDateOf(stage.summary.lastTime, timezone)})
                </Link>
              </p>
            ) : null}
            <SummaryFacts summary={stage.summary} />
          </>
        ) : null}
      </div>
    </div>
  );
}

function SummaryFacts({ summary }: { summary: ImportSummary }) {
  return (
    <div className="panel">
      <dl className="facts">
        <dt>Format</dt>
        <dd>{formatNames[summary.format]}</dd>
        <dt>Text encoding</dt>
        <dd>{summary.encoding}</dd>
        <dt>Readings found</dt>
        <dd>
          {summary.sampled
            ? `${summary.readings} in the first ${Math.round(summary.sampled.bytes / 1024)} KB${summary.sampled.estimatedReadings ? `; about ${summary.sampled.estimatedReadings} in the whole file` : ""}`
            : summary.readings}
        </dd>
        <dt>Period</dt>
        <dd>
          {summary.firstTime && summary.lastTime
            ? summary.sampled
              ? `from ${summary.firstTime.slice(0, 16).replace("T", " ")} UTC (the import reads the rest)`
              : `${summary.firstTime.slice(0, 16).replace("T", " ")} to ${summary.lastTime.slice(0, 16).replace("T", " ")} UTC`
            : "—"}
        </dd>
        <dt>Rows skipped (not glucose)</dt>
        <dd>{summary.skippedRows}</dd>
        <dt>Rows rejected</dt>
        <dd>{summary.rejectedRows}</dd>
      </dl>
      {summary.timeNotes.length > 0 ? (
        <ul>
          {summary.timeNotes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {summary.rejections.length > 0 ? (
        <>
          <h3>Rejected rows{summary.rejectedRows > summary.rejections.length ? ` (first ${summary.rejections.length} of ${summary.rejectedRows})` : ""}</h3>
          <ul>
            {summary.rejections.map((rejection) => (
              <li key={rejection.row}>{rejection.reason}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
