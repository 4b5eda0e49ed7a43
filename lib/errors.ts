/**
 * The one error type the domain throws. Pages map `not_found` to notFound(); the doors in
 * lib/http map each code to a status (and, on the FHIR API, to an OperationOutcome). Messages are
 * written for the person or device that must fix the input, and never contain database details or
 * health data.
 */
export type AppErrorCode =
  | "not_found"
  | "invalid_input"
  | "unprocessable"
  | "conflict"
  | "precondition_failed"
  | "unauthenticated"
  | "forbidden"
  | "rate_limited"
  | "payload_too_large"
  | "unavailable";

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

/**
 * What an actor may not see or do does not exist for them: the visibility rule and the permission
 * table both refuse with this, and the audit trail records it as a denial (lib/audit).
 */
export class AccessDenied extends AppError {
  constructor(
    what: string,
    /** The id the actor asked for, when it is one worth recording (a well-formed id). */
    readonly attemptedId: string | null = null,
  ) {
    // To callers it is the one AppError with its code; the audit trail tells it apart by class.
    super("not_found", `No such ${what}.`);
  }
}

/**
 * A credential that lacks the permission: a backend client's token without the SMART scope, a
 * read-only Nightscout token asked to write. Answered 403 with what is missing.
 */
export class ScopeDenied extends AppError {
  constructor(message: string) {
    super("forbidden", message);
  }
}

/** One message for missing and forbidden alike. */
export function notFound(what = "record"): AppError {
  return new AppError("not_found", `No such ${what}.`);
}

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
