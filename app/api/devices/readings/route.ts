import { uploadDeviceReadings } from "@/lib/devices/upload";
import { deviceApi } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";

// 10,000 readings of about 150 bytes each, with room to spare.
const MAX_BODY_BYTES = 4_000_000;

/** A paired meter posts a batch of readings for its patient (docs/device-api.md). */
export const POST = deviceApi(async ({ request, caller }) => uploadDeviceReadings(caller, await readJsonBody(request, { maxBytes: MAX_BODY_BYTES })));
