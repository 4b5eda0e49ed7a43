import { tokenEndpointUrl } from "@/lib/fhir/smart/configuration";
import { exchangeClientCredentials, OAuthError } from "@/lib/fhir/smart/token";
import { publicOrigin } from "@/lib/http/public-url";

const MAX_BODY_BYTES = 32_000;
// Tokens and refusals must never be cached (RFC 6749 §5.1).
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded.");
  }
  const tooLarge = () => new OAuthError("invalid_request", `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new URLSearchParams();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * POST /fhir/auth/token: SMART Backend Services (client_credentials with a private_key_jwt
 * assertion). Errors follow RFC 6749 §5.2: `{ error, error_description }`, status 400 (413 for
 * an oversized body), for invalid_client too. See docs/fhir.md.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const params = await readForm(request);
    const token = await exchangeClientCredentials(params, tokenEndpointUrl(publicOrigin(request)));
    return Response.json(token, { headers: NO_STORE });
  } catch (error) {
    if (error instanceof OAuthError) {
      return Response.json({ error: error.error, error_description: error.description }, { status: error.status, headers: NO_STORE });
    }
    console.error(`[fhir-auth] unexpected ${error instanceof Error ? error.name : typeof error}: ${error instanceof Error ? error.message : ""}`);
    return Response.json({ error: "server_error", error_description: "Something went wrong on our side; try again." }, { status: 500, headers: NO_STORE });
  }
}
