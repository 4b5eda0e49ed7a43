import { AppError } from "@/lib/errors";
import { measureJsonShape, type JsonShapeLimits } from "./json-shape";

/**
 * What any JSON body may hold, whatever its size limit: FHIR resources nest about a dozen levels
 * and a full device batch (10,000 readings) is about 60,000 values. Checked before parsing, so a
 * body's memory stays near its size (docs/security.md).
 */
export const JSON_SHAPE_LIMITS: JsonShapeLimits = { maxDepth: 64, maxValues: 500_000 };

/** `application/json`, with parameters (charset) allowed, and nothing before or after. */
export const JSON_CONTENT_TYPE = /^application\/json\s*(;.*)?$/i;
/** FHIR JSON, or plain JSON as many clients send. */
export const FHIR_CONTENT_TYPE = /^application\/(fhir\+)?json\s*(;.*)?$/i;

/**
 * The body, refused with 413 once it is larger than `maxBytes`: before reading when
 * Content-Length says so, while streaming otherwise.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${formatBytes(maxBytes)}; send less per request.`);
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) throw new AppError("invalid_input", "The request has no body.");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function formatBytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${Math.round(bytes / 1_000_000)} MB` : `${Math.round(bytes / 1_000)} kB`;
}

/** A NUL character, raw or escaped, or an escaped half of a surrogate pair standing alone. */
const UNSTORABLE_JSON = /\u0000|\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/;

export const UNSTORABLE_TEXT_MESSAGE =
  "The text contains a character that cannot be stored: a NUL character (\\u0000) or half of a Unicode surrogate pair. Remove it and send again.";

/**
 * A JSON body of the given content type and size: the size is enforced while streaming, then the
 * nesting depth and the number of values are measured without building anything
 * (./json-shape.ts), and only a body within every limit is parsed. Text PostgreSQL cannot store
 * (NUL, lone surrogates) is refused here with a sentence, so it never becomes a database error
 * (a 500 that would log the text). Every JSON API reads its body here.
 */
export async function readJsonBody(request: Request, options: { maxBytes: number; contentType?: RegExp; typeName?: string }): Promise<unknown> {
  const pattern = options.contentType ?? JSON_CONTENT_TYPE;
  const type = request.headers.get("content-type") ?? "";
  if (!pattern.test(type)) {
    throw new AppError("invalid_input", `Send the body as ${options.typeName ?? "application/json"} (the Content-Type header says ${type ? JSON.stringify(type.slice(0, 80)) : "nothing"}).`);
  }
  const text = (await readBodyBytes(request, options.maxBytes)).toString("utf8");
  const shape = measureJsonShape(text, JSON_SHAPE_LIMITS);
  if (!shape.fits && shape.reason === "too-deep") {
    throw new AppError("invalid_input", `The JSON is nested more than ${JSON_SHAPE_LIMITS.maxDepth} levels deep; no Lantern API takes that. Flatten it.`);
  }
  if (!shape.fits) {
    throw new AppError("payload_too_large", `The JSON holds more than ${JSON_SHAPE_LIMITS.maxValues.toLocaleString("en")} values; send less per request.`);
  }
  if (UNSTORABLE_JSON.test(text)) throw new AppError("invalid_input", UNSTORABLE_TEXT_MESSAGE);
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
