import { authenticateDevice } from "@/lib/devices/registry";
import { uploadDeviceReadings } from "@/lib/devices/upload";
import { AppError } from "@/lib/errors";
import { bearerToken, errorResponse, readJsonBody } from "@/lib/http/responses";

// 10,000 readings of about 150 bytes each, with room to spare.
const MAX_BODY_BYTES = 4_000_000;

/** A paired meter posts a batch of readings for its patient (docs/device-api.md). */
export async function POST(request: Request) {
  try {
    const device = await authenticateDevice(bearerToken(request));
    if (!device) throw new AppError("unauthenticated", "Send the device token as `Authorization: Bearer <token>`; this token is unknown or revoked. Pair the meter again.");
    const outcome = await uploadDeviceReadings(device, await readJsonBody(request, MAX_BODY_BYTES));
    return Response.json(outcome);
  } catch (error) {
    return errorResponse(error);
  }
}
