import "server-only";
import { AppError, isAppError, type AppErrorCode } from "@/lib/errors";

const statusOf: Record<AppErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  precondition_failed: 412,
  unauthenticated: 401,
  rate_limited: 429,
  payload_too_large: 413,
};

/** JSON APIs answer errors as `{ error, message, fields? }` with the matching status. */
export function errorResponse(error: unknown): Response {
  if (!isAppError(error)) {
    // Details go to the log without request data (which may hold health data); the client gets a calm message.
    console.error(`[api] unexpected ${error instanceof Error ? error.name : typeof error}: ${error instanceof Error ? error.message : ""}`);
    return Response.json({ error: "internal_error", message: "Something went wrong on our side; nothing was stored. Try again." }, { status: 500 });
  }
  const body = { error: error.code, message: error.message, ...(Object.keys(error.fieldErrors).length ? { fields: error.fieldErrors } : {}) };
  const headers: HeadersInit = error.code === "unauthenticated" ? { "WWW-Authenticate": 'Bearer realm="lantern"' } : {};
  return Response.json(body, { status: statusOf[error.code], headers });
}

/**
 * Reads a JSON body of at most `maxBytes`, refusing larger bodies before reading them whole when
 * Content-Length says so, and while streaming otherwise.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${Math.round(maxBytes / 1_000_000)} MB; send fewer readings per request.`);
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) throw new AppError("invalid_input", "The request has no body; send JSON.");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid_input", "The body is not valid JSON.");
  }
}

/** The credential after `Bearer `, or null. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}
