import { methodNotAllowed, uploaderApi } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { searchDeviceStatuses, storeDeviceStatuses } from "@/lib/uploader/device-status-store";
import { parseV1Search } from "@/lib/uploader/search-params";

const MAX_BODY_BYTES = 1_000_000;

/** GET /api/v1/devicestatus: newest first; `count`, `find[created_at]`, `find[device]`. */
export const getDeviceStatuses = uploaderApi(async ({ request, caller }) => Response.json(await searchDeviceStatuses(caller, parseV1Search(new URL(request.url).searchParams, "devicestatus"))));

/** POST /api/v1/devicestatus: one answer element per report, in order. */
export const postDeviceStatuses = uploaderApi(async ({ request, caller }) => Response.json(await storeDeviceStatuses(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES }))));

export const notDeviceStatusMethod = methodNotAllowed("GET", "POST");
