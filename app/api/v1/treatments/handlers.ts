import { methodNotAllowed, uploaderApi } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { parseV1Search } from "@/lib/uploader/search-params";
import { replaceTreatments, searchTreatments, storeTreatments } from "@/lib/uploader/treatments-store";

const MAX_BODY_BYTES = 4_000_000;

/** GET /api/v1/treatments: newest first; `count` and `find[created_at]`, `find[eventType]`... */
export const getTreatments = uploaderApi(async ({ request, caller }) => Response.json(await searchTreatments(caller, parseV1Search(new URL(request.url).searchParams, "treatments"))));

/** POST /api/v1/treatments: one answer element per treatment, in order. */
export const postTreatments = uploaderApi(async ({ request, caller }) => Response.json(await storeTreatments(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }))));

/** PUT /api/v1/treatments: create or replace by identifier (`_id`), as xDrip+ and Loop update. */
export const putTreatments = uploaderApi(async ({ request, caller }) => Response.json(await replaceTreatments(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }))));

export const notTreatmentMethod = methodNotAllowed("GET", "POST", "PUT");
