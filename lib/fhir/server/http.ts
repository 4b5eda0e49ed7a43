import "server-only";
import { toOperationOutcome, type IssueType } from "@/lib/fhir/mapping";
import { isAppError, type AppErrorCode } from "@/lib/errors";

export const FHIR_JSON = "application/fhir+json; charset=utf-8";

export function fhirResponse(resource: object, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(resource), { status: init.status ?? 200, headers: { "Content-Type": FHIR_JSON, ...init.headers } });
}

const issueCodeOf: Record<AppErrorCode, { status: number; code: IssueType }> = {
  not_found: { status: 404, code: "not-found" },
  invalid_input: { status: 400, code: "invalid" },
  conflict: { status: 409, code: "conflict" },
  precondition_failed: { status: 412, code: "duplicate" },
  unauthenticated: { status: 401, code: "login" },
  rate_limited: { status: 429, code: "throttled" },
  payload_too_large: { status: 413, code: "too-costly" },
};

/** Every FHIR error is an OperationOutcome with the matching status. */
export function outcomeResponse(status: number, code: IssueType, diagnostics: string, expression?: string): Response {
  const headers: Record<string, string> = status === 401 ? { "WWW-Authenticate": 'Bearer realm="lantern-fhir"' } : {};
  return fhirResponse(toOperationOutcome("error", code, diagnostics, expression), { status, headers });
}

export function fhirErrorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const { status, code } = issueCodeOf[error.code];
    return outcomeResponse(status, code, error.message);
  }
  console.error(`[fhir] unexpected ${error instanceof Error ? error.name : typeof error}: ${error instanceof Error ? error.message : ""}`);
  return outcomeResponse(500, "exception", "Something went wrong on our side; try again.");
}
