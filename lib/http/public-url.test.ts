import { describe, expect, it, vi } from "vitest";

// Local use: no LANTERN_PUBLIC_URL (public-url.int.test.ts covers it set).
vi.stubEnv("LANTERN_PUBLIC_URL", undefined);
const { emailedLinkOrigin, publicOrigin, publicRequestUrl } = await import("./public-url");

describe("publicOrigin without LANTERN_PUBLIC_URL: the origin the request was addressed to", () => {
  it.each([
    ["http://localhost:3000/fhir/metadata", {}, "http://localhost:3000"],
    // Next.js fills X-Forwarded-Host and -Proto from the Host header and the connection.
    ["http://localhost:3000/fhir/metadata", { "x-forwarded-host": "127.0.0.1:3000", "x-forwarded-proto": "http" }, "http://127.0.0.1:3000"],
    ["http://localhost:3000/fhir/metadata", { "x-forwarded-host": "lantern.example.org, proxy.internal", "x-forwarded-proto": "https, http" }, "https://lantern.example.org"],
    ["http://localhost:3000/fhir/metadata", { "x-forwarded-host": "lantern.example.org" }, "http://lantern.example.org"],
    ["http://localhost:3000/fhir/metadata", { "x-forwarded-host": "evil.example/path?x=1" }, "http://localhost:3000"],
    ["http://localhost:3000/fhir/metadata", { "x-forwarded-host": "[::1]:3000", "x-forwarded-proto": "gopher" }, "http://[::1]:3000"],
  ])("%s with %j is %s", (url, headers, origin) => {
    expect(publicOrigin(new Request(url, { headers }))).toBe(origin);
  });

  it("keeps the path and query of the request", () => {
    const request = new Request("http://localhost:3000/fhir/Patient?name=L%C3%B3pez&_count=2", { headers: { "x-forwarded-host": "127.0.0.1:3000" } });
    expect(publicRequestUrl(request).toString()).toBe("http://127.0.0.1:3000/fhir/Patient?name=L%C3%B3pez&_count=2");
  });
});

describe("emailedLinkOrigin without LANTERN_PUBLIC_URL", () => {
  it("is this server's own local address, which no request header can change (a reset link naming another host would hand its token over)", () => {
    vi.stubEnv("PORT", "3417");
    expect(emailedLinkOrigin()).toBe("http://localhost:3417");
    vi.stubEnv("PORT", undefined);
    expect(emailedLinkOrigin()).toBe("http://localhost:3000");
  });
});
