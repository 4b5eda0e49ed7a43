import type { NextConfig } from "next";
import { NON_PAGE_CONTENT_SECURITY_POLICY } from "./lib/security/content-security-policy";

// Headers every response carries. Pages get their nonce-based Content-Security-Policy from
// proxy.ts; everything else (JSON, FHIR, text) the non-page one below. HSTS is ignored by
// browsers over plain http, so it is safe to send from a laptop demo too.
const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
];
const nonPagePolicy = [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }];

const nextConfig: NextConfig = {
  // A per-user clinical portal renders every page per request; partial prerendering would
  // only add Suspense boundaries where notFound() must still answer a real 404.
  cacheComponents: false,
  poweredByHeader: false,
  // Compression belongs to the reverse proxy in front of the portal; in Node it cost about 6% of
  // the server's CPU under device uploads (bench:ingest profile) for responses of a few bytes.
  compress: false,
  // Native and WASM packages stay outside the bundle (15 MB of PGlite wasm would otherwise
  // be copied into the build output).
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "fxa-common-password-list"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      ...["/api/:path*", "/fhir", "/fhir/:path*", "/.well-known/:path*", "/healthz", "/readyz"].map((source) => ({ source, headers: nonPagePolicy })),
    ];
  },
};

export default nextConfig;
