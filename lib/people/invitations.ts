import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { invitations, users } from "@/db/schema";
import { audited, type AnonymousCaller } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail/send";
import { hashPassword } from "@/lib/security/password-hashing";
import { checkPassword } from "@/lib/security/password-policy";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { invalidFields, parseInput } from "@/lib/validation";
import { setPasswordSchema } from "./schemas";

/** Who is invited, for the email: the account, and why they are invited (never a patient's name). */
export interface Invitee {
  userId: string;
  email: string;
  reason: "staff" | "guardian" | "patient";
}

const INTRODUCTIONS: Record<Invitee["reason"], string> = {
  staff: "An administrator of your organization created a Lantern account for you.",
  guardian: "Your clinic registered you in Lantern as the parent or guardian of a young person they care for.",
  patient: "Your clinic created a Lantern account for you, to see and share your glucose readings.",
};

/**
 * Invites one person to set their own password: a one-time link (256 random bits) emailed to them,
 * stored only as its SHA-256, valid LANTERN_INVITATION_HOURS. Sent inside the caller's
 * transaction, so an email the server refuses leaves no half-registered account behind.
 */
export async function sendInvitation(tx: Transaction, invitee: Invitee, invitedByUserId: string | null, siteOrigin: string, now = new Date()): Promise<void> {
  const token = generateToken("inv");
  const hours = environment().LANTERN_INVITATION_HOURS;
  await tx.insert(invitations).values({
    userId: invitee.userId,
    tokenHash: sha256Hex(token),
    invitedByUserId,
    expiresAt: new Date(now.getTime() + hours * 3_600_000),
  });
  await sendMail({
    to: invitee.email,
    subject: "Set your Lantern password",
    text: [
      INTRODUCTIONS[invitee.reason],
      "",
      `Open this link within ${hours} hours to choose your own password (only you will know it):`,
      `${siteOrigin}/invitation/${token}`,
      "",
      "If you did not expect this email, ignore it; the link then expires unused.",
    ].join("\n"),
  });
}

const LINK_UNUSABLE = "This link has expired or was already used. Ask your clinic to send a new invitation.";

async function openInvitation(token: string, now: Date) {
  const [row] = await getDb()
    .select({ id: invitations.id, userId: users.id, email: users.email, displayName: users.displayName, organizationId: users.organizationId })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(and(eq(invitations.tokenHash, sha256Hex(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, now), isNull(users.disabledAt)));
  return row;
}

/** The account an invitation link is for, while the link works; null otherwise. */
export async function describeInvitation(token: string, now = new Date()): Promise<{ email: string; displayName: string } | null> {
  const row = await openInvitation(token, now);
  return row ? { email: row.email, displayName: row.displayName } : null;
}

/**
 * The invited person chooses their password (the sign-in password policy applies); the link is
 * then used up, and every other open invitation of the account with it.
 */
export async function acceptInvitation(caller: AnonymousCaller, token: string, input: unknown, now = new Date()): Promise<{ email: string }> {
  const form = parseInput(setPasswordSchema, input);
  const invitation = await openInvitation(token, now);
  if (!invitation) throw new AppError("conflict", LINK_UNUSABLE);
  const verdict = checkPassword(form.password, { email: invitation.email, name: invitation.displayName });
  if (!verdict.ok) throw invalidFields({ password: [verdict.reason] });
  const passwordHash = await hashPassword(form.password);
  const subject = { ...caller, organizationId: invitation.organizationId, claimedId: invitation.userId };
  await audited(subject, { action: "update", resourceType: "User", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = invitation.userId;
    const used = await tx
      .update(invitations)
      .set({ usedAt: now })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.usedAt)))
      .returning({ id: invitations.id });
    // Two tabs submitting one link: the second finds it used.
    if (used.length === 0) throw new AppError("conflict", LINK_UNUSABLE);
    await tx.update(invitations).set({ usedAt: now }).where(and(eq(invitations.userId, invitation.userId), isNull(invitations.usedAt)));
    await tx.update(users).set({ passwordHash, failedSignInCount: 0, lastFailedSignInAt: null }).where(eq(users.id, invitation.userId));
  });
  return { email: invitation.email };
}
