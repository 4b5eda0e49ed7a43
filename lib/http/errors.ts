import { AppError, isAppError, type AppErrorCode } from "@/lib/errors";
import { UNSTORABLE_TEXT_MESSAGE } from "./body";
import { databaseErrorOf } from "@/lib/log";

export const statusOf: Record<AppErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  unprocessable: 422,
  conflict: 409,
  precondition_failed: 412,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  payload_too_large: 413,
  unavailable: 503,
};

// Input PostgreSQL refused: the client's to fix, never a 500.
const INPUT_SQLSTATES: Record<string, string> = {
  "22021": UNSTORABLE_TEXT_MESSAGE, // character_not_in_repertoire (NUL in text)
  "22P05": UNSTORABLE_TEXT_MESSAGE, // untranslatable_character
  "22001": "A value is longer than Lantern can store; shorten it.",
  "22003": "A number is out of the range Lantern can store.",
  "22008": "A date or time is out of the range Lantern can store.",
};

// The database is down or restarting: the client should retry later (and loses nothing).
// SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now), 53300 (too many connections).
const UNAVAILABLE_SQLSTATES = /^(08|57P0[1-3]|53300)/;
// What the drivers throw, themselves or wrapped by drizzle, when there is no connection to speak of.
const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);
const UNAVAILABLE_MESSAGE = "The database is not available right now; nothing was stored. Try again in a few seconds.";

/** True when the error, or one it wraps, says the database could not be reached or went away. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === "object" && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERROR_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATES.test(code)))) return true;
    // AggregateError: one per address tried (127.0.0.1 and ::1).
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** The AppError an error stands for, when it is one the client should hear about; else null. */
export function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  const database = databaseErrorOf(error);
  const code = typeof database?.code === "string" ? database.code : null;
  if (code && INPUT_SQLSTATES[code]) return new AppError("invalid_input", INPUT_SQLSTATES[code]);
  if (isDatabaseUnavailable(error)) return new AppError("unavailable", UNAVAILABLE_MESSAGE);
  return null;
}
