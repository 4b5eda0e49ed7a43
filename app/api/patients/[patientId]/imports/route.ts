import { AppError } from "@/lib/errors";
import { errorResponse, sessionApi } from "@/lib/http/api";
import { authorizeImport } from "@/lib/imports/file-import";
import { MAX_IMPORT_BYTES } from "@/lib/imports/limits";

/**
 * The file as sent by the import page. Only types a cross-site form cannot send: a page on
 * another site could otherwise post `text/plain` with the user's cookie and commit an import.
 */
const FILE_CONTENT_TYPE = /^(application\/octet-stream|text\/csv|text\/tab-separated-values|application\/vnd\.ms-excel)\s*(;.*)?$/i;

/**
 * POST the raw file with `?mode=preview` for a summary that writes nothing (read from the file's
 * first megabyte; send `&size=<bytes>` of the whole file for an estimate of the rest), or
 * `?mode=commit` to import. A commit answers NDJSON: progress lines `{"type":"progress",...}`, then
 * `{"type":"done","summary":...}` or `{"type":"error",...}`.
 */
export const POST = sessionApi(async ({ request, caller, params, origin }) => {
  const mode = new URL(request.url).searchParams.get("mode");
  if (mode !== "preview" && mode !== "commit") throw new AppError("invalid_input", "Add ?mode=preview or ?mode=commit.");
  if (!FILE_CONTENT_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("invalid_input", "Send the file as application/octet-stream (or text/csv).");
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES) {
    throw new AppError("payload_too_large", "The file is larger than 50 MB. Export a shorter period and upload the parts.");
  }
  if (!request.body) throw new AppError("invalid_input", "Choose a file to import.");
  const body = request.body;
  // Authorized before the stream starts, so a patient outside the actor's view is a plain 404.
  const run = await authorizeImport(caller, params.patientId!);
  // A preview reads the file's beginning only; the page sends just that and says how big the file is.
  const declaredSize = Number(new URL(request.url).searchParams.get("size") ?? "NaN");
  if (mode === "preview") return run(body, "preview", { fileBytes: Number.isSafeInteger(declaredSize) && declaredSize > 0 ? declaredSize : null });

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const summary = await run(body, "commit", { onProgress: (progress) => send({ type: "progress", ...progress }) });
        send({ type: "done", summary });
      } catch (error) {
        const response = errorResponse(error, origin);
        send({ type: "error", status: response.status, ...((await response.json()) as object) });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8" } });
});
