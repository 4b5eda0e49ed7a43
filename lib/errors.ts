/**
 * The one error type the domain throws. Pages map `not_found` to notFound(); APIs map each code
 * to a status (lib/http/responses.ts). Messages are written for the person or device that must
 * fix the input, and never contain database details or health data.
 */
export type AppErrorCode = "not_found" | "invalid_input" | "conflict" | "precondition_failed" | "unauthenticated" | "rate_limited" | "payload_too_large";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** What an actor may not see does not exist for them: one message for missing and forbidden. */
export function notFound(what = "record"): AppError {
  return new AppError("not_found", `No such ${what}.`);
}

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
