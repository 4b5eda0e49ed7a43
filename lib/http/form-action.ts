import "server-only";
import type { UserActor } from "@/lib/access/actor";
import { requireActor } from "@/lib/auth/session";
import type { FormState } from "@/lib/form-state";
import { asAppError } from "./errors";
import { logUnexpected } from "@/lib/log";
import { emailedLinkOrigin } from "./public-url";

/** Where links emailed by a server action (invitations, resets, confirmations) point: never a request header (public-url.ts). */
export async function siteOrigin(): Promise<string> {
  return emailedLinkOrigin();
}

/**
 * The server-action door: the signed-in user (anonymous visitors go to sign in), one data-layer
 * call, and its outcome as form feedback. A domain error becomes a message and per-field errors
 * with what was typed kept (minus secrets); anything unexpected is logged without request data
 * and shown as a calm message. Next.js already refuses server actions from another origin.
 */
export async function formAction(
  work: (actor: UserActor) => Promise<string | FormState>,
  typed: Record<string, string> = {},
): Promise<FormState> {
  const actor = await requireActor();
  return formOutcome(() => work(actor), typed, actor.origin.requestId);
}

/** The same error mapping for actions anyone may call (registration). */
export async function formOutcome(work: () => Promise<string | FormState>, typed: Record<string, string> = {}, requestId: string | null = null): Promise<FormState> {
  try {
    const outcome = await work();
    return typeof outcome === "string" ? { status: "success", message: outcome } : outcome;
  } catch (error) {
    // next/navigation's redirect() and notFound() are thrown on purpose: let them through.
    if (isNavigation(error)) throw error;
    const known = asAppError(error);
    if (!known) {
      logUnexpected("action", requestId, error);
      return { status: "error", message: "Something went wrong on our side; nothing was saved. Try again.", values: typed };
    }
    return { status: "error", message: known.message, fieldErrors: known.fieldErrors, values: typed };
  }
}

function isNavigation(error: unknown): boolean {
  const digest = (error as { digest?: unknown })?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"));
}
