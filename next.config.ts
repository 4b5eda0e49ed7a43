import type { NextConfig } from "next";

// Headers every response carries. The nonce-based Content-Security-Policy arrives with the
// security issue; these are the ones that need no per-request state.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

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
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
