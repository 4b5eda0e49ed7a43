import { pairDevice } from "@/lib/devices/registry";
import { publicApi } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";

/** A meter exchanges its one-time pairing code for its own token (docs/device-api.md). */
export const POST = publicApi(async ({ request, origin }) => {
  const result = await pairDevice({ kind: "anonymous", origin }, await readJsonBody(request, { maxBytes: 16_000 }));
  return Response.json(result, { status: 201 });
});
