/**
 * The Content-Security-Policy of every page, with this response's nonce: scripts run only if they
 * carry it (Next.js stamps its own scripts with the nonce it reads from the request's policy;
 * 'strict-dynamic' lets those load the page's chunks), never inline code an attacker could inject.
 * Styles allow inline `style` attributes, which the charts set on their SVG elements; a style
 * cannot run code. `next dev` needs eval for its error overlay, so only development allows it.
 */
export function pageContentSecurityPolicy(nonce: string, options: { development: boolean } = { development: false }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Responses that are never a page (JSON, FHIR, text): nothing may load or frame them. */
export const NON_PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function contentSecurityNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
