import { methodNotAllowed, uploaderApi } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { searchUploaderEntries, storeUploaderEntries } from "@/lib/uploader/entries-store";
import { parseV1EntrySpec, parseV1Search } from "@/lib/uploader/search-params";

// A day of 1-minute CGM entries is about 300 KB; uploaders batch far less.
const MAX_BODY_BYTES = 4_000_000;

/** POST /api/v1/entries: the Nightscout upload (docs/nightscout-uploader.md). */
export const postEntries = uploaderApi(async ({ request, caller }) => Response.json(await storeUploaderEntries(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }))));

/** GET /api/v1/entries.json?count=N&find[...]: the entries a search asks for, newest first. */
export const getEntries = uploaderApi(async ({ request, caller }) => Response.json(await searchUploaderEntries(caller, parseV1Search(new URL(request.url).searchParams, "entries"))));

/** GET /api/v1/entries/{current|sgv|mbg|id}(.json). */
export const getEntrySpec = uploaderApi(async ({ request, caller, params }) =>
  Response.json(await searchUploaderEntries(caller, parseV1EntrySpec(params.spec!, new URL(request.url).searchParams))),
);

export const notEntryMethod = methodNotAllowed("GET", "POST");
