import { AppError } from "@/lib/errors";
import { errorResponse, readJsonBody } from "@/lib/http/responses";
import { authenticateUploader, latestUploaderEntries, storeUploaderEntries, UPLOADER_UNAUTHORIZED } from "@/lib/uploader/service";

// A day of 1-minute CGM entries is about 300 KB; uploaders batch far less.
const MAX_BODY_BYTES = 4_000_000;
const DEFAULT_COUNT = 10;

async function uploaderOf(request: Request) {
  const uploader = await authenticateUploader(request.headers.get("api-secret"));
  if (!uploader) throw new AppError("unauthenticated", UPLOADER_UNAUTHORIZED);
  return uploader;
}

/** POST /api/v1/entries: the Nightscout upload (docs/nightscout-uploader.md). */
export async function postEntries(request: Request) {
  try {
    const uploader = await uploaderOf(request);
    const { stored } = await storeUploaderEntries(uploader, await readJsonBody(request, MAX_BODY_BYTES));
    return Response.json(stored);
  } catch (error) {
    return errorResponse(error);
  }
}

/** GET /api/v1/entries.json?count=N: the latest entries, newest first. */
export async function getEntries(request: Request, type?: "sgv" | "mbg") {
  try {
    const uploader = await uploaderOf(request);
    const countParameter = new URL(request.url).searchParams.get("count");
    const count = countParameter === null ? DEFAULT_COUNT : Number.parseInt(countParameter, 10);
    if (!Number.isInteger(count) || count < 1) throw new AppError("invalid_input", "count must be a positive whole number.");
    return Response.json(await latestUploaderEntries(uploader, count, type));
  } catch (error) {
    return errorResponse(error);
  }
}
