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
const UNAVAILABLE_SQLSTATES = /^(08|57P0[1-3]|53300)/;

/** The AppError an error stands for, when it is one the client should hear about; else null. */
export function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  const database = databaseErrorOf(error);
  const code = typeof database?.code === "string" ? database.code : null;
  if (code && INPUT_SQLSTATES[code]) return new AppError("invalid_input", INPUT_SQLSTATES[code]);
  if (code && UNAVAILABLE_SQLSTATES.test(code)) return new AppError("unavailable", "The database is not available right now; nothing was stored. Try again in a few seconds.");
  if (typeof (error as { code?: unknown })?.code === "string" && ["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_ENDED"].includes((error as { code: string }).code)) {
    return new AppError("unavailable", "The database is not available right now; nothing was stored. Try again in a few seconds.");
  }
  return null;
}
