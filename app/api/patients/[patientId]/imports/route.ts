import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/responses";
import { importReadingsFile, MAX_IMPORT_BYTES } from "@/lib/imports/file-import";
import { getVisiblePatient } from "@/lib/patients/queries";

/**
 * POST the raw file (any content type) with `?mode=preview` for a summary that writes nothing, or
 * `?mode=commit` to import. A commit answers NDJSON: progress lines `{"type":"progress",...}`,
 * then `{"type":"done","summary":...}` or `{"type":"error",...}`.
 */
export async function POST(request: Request, { params }: RouteContext<"/api/patients/[patientId]/imports">) {
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError("unauthenticated", "Sign in to import files.");
    const { patientId } = await params;
    const mode = new URL(request.url).searchParams.get("mode");
    if (mode !== "preview" && mode !== "commit") throw new AppError("invalid_input", "Add ?mode=preview or ?mode=commit.");
    if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES) {
      throw new AppError("payload_too_large", "The file is larger than 50 MB. Export a shorter period and upload the parts.");
    }
    if (!request.body) throw new AppError("invalid_input", "Choose a file to import.");
    const body = request.body;
    // Authorize before the stream starts, so a patient outside the actor's view is a plain 404.
    await getVisiblePatient(actor, patientId);
    if (mode === "preview") return Response.json(await importReadingsFile(actor, patientId, body, "preview"));

    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        try {
          const summary = await importReadingsFile(actor, patientId, body, "commit", (progress) => send({ type: "progress", ...progress }));
          send({ type: "done", summary });
        } catch (error) {
          const response = errorResponse(error);
          send({ type: "error", status: response.status, ...((await response.json()) as object) });
        }
        controller.close();
      },
    });
    return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
