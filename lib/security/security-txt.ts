/**
 * /.well-known/security.txt (RFC 9116): where to report a vulnerability. Expires is required and
 * should be under a year away; generated per request, it always lies `validDays` ahead.
 */
export function securityTxt(options: { contact: string; now: Date; canonicalUrl: string | null; validDays?: number }): string {
  const expires = new Date(options.now.getTime() + (options.validDays ?? 30) * 86_400_000);
  expires.setUTCHours(0, 0, 0, 0);
  return [
    `Contact: ${options.contact}`,
    `Expires: ${expires.toISOString().replace(".000Z", "Z")}`,
    "Preferred-Languages: en",
    ...(options.canonicalUrl ? [`Canonical: ${options.canonicalUrl}`] : []),
    "",
  ].join("\n");
}
