import { AppError } from "@/lib/errors";
import { uploaderApi } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { latestUploaderEntries, storeUploaderEntries } from "@/lib/uploader/service";

// A day of 1-minute CGM entries is about 300 KB; uploaders batch far less.
const MAX_BODY_BYTES = 4_000_000;
const DEFAULT_COUNT = 10;

/** POST /api/v1/entries: the Nightscout upload (docs/nightscout-uploader.md). */
export const postEntries = uploaderApi(async ({ request, caller }) => {
  const { stored } = await storeUploaderEntries(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }));
  return Response.json(stored);
});

/** GET /api/v1/entries.json?count=N: the latest entries, newest first. */
export function getEntries(type?: "sgv" | "mbg") {
  return uploaderApi(async ({ request, caller }) => {
    const countParameter = new URL(request.url).searchParams.get("count");
    const count = countParameter === null ? DEFAULT_COUNT : Number.parseInt(countParameter, 10);
    if (!Number.isInteger(count) || count < 1) throw new AppError("invalid_input", "count must be a positive whole number.");
    return Response.json(await latestUploaderEntries(caller, count, type));
  });
}
