import { pairDevice } from "@/lib/devices/registry";
import { errorResponse, readJsonBody } from "@/lib/http/responses";

/** A meter exchanges its one-time pairing code for its own token (docs/device-api.md). */
export async function POST(request: Request) {
  try {
    const result = await pairDevice(await readJsonBody(request, 16_000));
    return Response.json(result, { status: 201, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
