import { environment } from "@/lib/config";
import { securityTxt } from "@/lib/security/security-txt";

export const dynamic = "force-dynamic";

/** How to report a vulnerability (RFC 9116), from LANTERN_SECURITY_CONTACT. */
export function GET(): Response {
  const { LANTERN_SECURITY_CONTACT: contact, LANTERN_PUBLIC_URL: site } = environment();
  if (!contact) return new Response("No security contact is configured on this server (LANTERN_SECURITY_CONTACT).\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const text = securityTxt({ contact, now: new Date(), canonicalUrl: site ? `${site}/.well-known/security.txt` : null });
  return new Response(text, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
