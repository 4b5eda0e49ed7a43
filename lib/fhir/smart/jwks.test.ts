import { generateKeyPairSync } from "node:crypto";
import { exportJWK, generateKeyPair, generateSecret, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { backendClientSchema } from "./client-schema";
import { checkJwks, checkJwksUrl, parseJwksText } from "./jwks";

async function publicAndPrivate(alg: "ES384" | "RS384" | "ES256" | "EdDSA") {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

describe("JWK Set checks", () => {
  let ec: { publicJwk: JWK; privateJwk: JWK };
  let rsa: { publicJwk: JWK; privateJwk: JWK };
  let p256: JWK;
  let ed25519: JWK;
  let smallRsa: JWK;
  let secret: JWK;

  beforeAll(async () => {
    ec = await publicAndPrivate("ES384");
    rsa = await publicAndPrivate("RS384");
    p256 = (await publicAndPrivate("ES256")).publicJwk;
    ed25519 = (await publicAndPrivate("EdDSA")).publicJwk;
    // jose refuses to make a key this weak; node:crypto still can, as an outdated system might.
    smallRsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" }) as JWK;
    secret = await exportJWK(await generateSecret("HS256", { extractable: true }));
  });

  it("accepts EC P-384 and RSA public keys with kids, keeping only public members", () => {
    const verdict = checkJwks({ keys: [{ ...ec.publicJwk, kid: "ec-1", alg: "ES384", use: "sig", x5t: "ignored" }, { ...rsa.publicJwk, kid: "rsa-1" }] });
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.jwks.keys).toEqual([
      { kty: "EC", kid: "ec-1", crv: "P-384", x: ec.publicJwk.x, y: ec.publicJwk.y, alg: "ES384", use: "sig" },
      { kty: "RSA", kid: "rsa-1", n: rsa.publicJwk.n, e: rsa.publicJwk.e },
    ]);
  });

  it.each([
    ["not JSON", () => "{keys: [", /not valid JSON/],
    ["an array", () => "[]", /JWK Set/],
    ["an empty set", () => JSON.stringify({ keys: [] }), /at least one public key/],
    ["a bare public key", () => JSON.stringify({ ...ec.publicJwk, kid: "k" }), /single key; wrap it/],
    ["a bare private key", () => JSON.stringify({ ...ec.privateJwk, kid: "k" }), /private key material/],
    ["an EC private key", () => JSON.stringify({ keys: [{ ...ec.privateJwk, kid: "k" }] }), /Key 1 contains private key material.*PUBLIC/],
    ["an RSA private key", () => JSON.stringify({ keys: [{ ...rsa.publicJwk, kid: "a" }, { ...rsa.privateJwk, kid: "b" }] }), /Key 2 contains private key material/],
    ["a shared secret", () => JSON.stringify({ keys: [{ ...secret, kid: "k" }] }), /private key material/],
    ["a key without kid", () => JSON.stringify({ keys: [ec.publicJwk] }), /needs a "kid"/],
    ["two keys with one kid", () => JSON.stringify({ keys: [{ ...ec.publicJwk, kid: "k" }, { ...rsa.publicJwk, kid: "k" }] }), /share the kid "k"/],
    ["a P-256 key", () => JSON.stringify({ keys: [{ ...p256, kid: "k" }] }), /P-384/],
    ["an Ed25519 key", () => JSON.stringify({ keys: [{ ...ed25519, kid: "k" }] }), /key type "OKP"/],
    ["an RSA key declaring RS256", () => JSON.stringify({ keys: [{ ...rsa.publicJwk, kid: "k", alg: "RS256" }] }), /alg "RS256"/],
    ["an encryption key", () => JSON.stringify({ keys: [{ ...ec.publicJwk, kid: "k", use: "enc" }] }), /"use": "enc"/],
    ["key_ops without verify", () => JSON.stringify({ keys: [{ ...ec.publicJwk, kid: "k", key_ops: ["encrypt"] }] }), /key_ops/],
    ["a 1024-bit RSA key", () => JSON.stringify({ keys: [{ ...smallRsa, kid: "k" }] }), /1024-bit RSA key; use at least 2048/],
    ["a point off the curve", () => JSON.stringify({ keys: [{ ...ec.publicJwk, kid: "k", y: ec.publicJwk.x }] }), /not a valid EC public key/],
    ["a missing coordinate", () => JSON.stringify({ keys: [{ kty: "EC", crv: "P-384", kid: "k", x: ec.publicJwk.x }] }), /needs "y"/],
    ["too long a text", () => " ".repeat(64_001), /longer than/],
  ])("refuses %s with a sentence saying why", (_label, text, message) => {
    const verdict = parseJwksText(text());
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(message);
  });

  it.each([
    ["https://ehr.example.org/.well-known/jwks.json", true],
    ["http://localhost:8080/jwks.json", true],
    ["http://127.0.0.1/jwks", true],
    ["http://ehr.example.org/jwks.json", false],
    ["ftp://ehr.example.org/jwks.json", false],
    ["https://user:pass@ehr.example.org/jwks.json", false],
    ["ehr.example.org/jwks.json", false],
  ])("a JWKS URL %s is accepted: %s", (url, ok) => {
    expect(checkJwksUrl(url).ok).toBe(ok);
  });

  describe("backendClientSchema (the admin form and the CLI)", () => {
    const jwks = () => JSON.stringify({ keys: [{ ...ec.publicJwk, kid: "k1" }] });

    it("parses pasted keys with checkbox scopes, and a URL with a scope string", () => {
      expect(backendClientSchema.parse({ name: " EHR ", jwks: jwks(), jwksUrl: "", scopes: ["system/Patient.rs", "system/Patient.rs"] })).toEqual({
        name: "EHR",
        scopes: ["system/Patient.rs"],
        keys: { jwks: { keys: [{ kty: "EC", kid: "k1", crv: "P-384", x: ec.publicJwk.x, y: ec.publicJwk.y }] } },
      });
      expect(backendClientSchema.parse({ name: "EHR", jwksUrl: "https://ehr.example.org/jwks", scopes: "system/Observation.rs system/Observation.cu" })).toEqual({
        name: "EHR",
        scopes: ["system/Observation.rs", "system/Observation.cu"],
        keys: { jwksUrl: "https://ehr.example.org/jwks" },
      });
    });

    it("reports every field of an empty form at once", () => {
      const result = backendClientSchema.safeParse({ name: "", jwks: "", jwksUrl: "" });
      expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(["jwks", "name", "scopes"]);
    });

    it.each([
      ["no name", { name: " ", jwks: "J", scopes: ["system/Patient.rs"] }, "name", /name of the hospital system/],
      ["no keys", { name: "EHR", jwks: "", jwksUrl: "", scopes: ["system/Patient.rs"] }, "jwks", /public key set/],
      ["both keys and URL", { name: "EHR", jwks: "J", jwksUrl: "https://ehr.example.org/jwks", scopes: ["system/Patient.rs"] }, "jwks", /not both/],
      ["an http URL", { name: "EHR", jwksUrl: "http://ehr.example.org/jwks", scopes: ["system/Patient.rs"] }, "jwksUrl", /https/],
      ["no scope", { name: "EHR", jwks: "J", scopes: [] }, "scopes", /at least one scope/],
      ["no scope field", { name: "EHR", jwks: "J" }, "scopes", /at least one scope/],
      ["an unsupported scope", { name: "EHR", jwks: "J", scopes: ["system/Observation.cruds"] }, "scopes", /Choose scopes from/],
      ["a patient scope", { name: "EHR", jwks: "J", scopes: "patient/Observation.rs" }, "scopes", /Choose scopes from/],
      ["a private key", { name: "EHR", jwks: "PRIVATE", scopes: ["system/Patient.rs"] }, "jwks", /private key material/],
    ])("refuses %s on the right field", (_label, input, field, message) => {
      const given = (input as { jwks?: string }).jwks;
      const withKeys = { ...input, jwks: given === "J" ? jwks() : given === "PRIVATE" ? JSON.stringify({ keys: [{ ...ec.privateJwk, kid: "k" }] }) : given };
      const result = backendClientSchema.safeParse(withKeys);
      expect(result.success).toBe(false);
      const issue = result.error!.issues.find((i) => i.path[0] === field);
      expect(issue?.message).toMatch(message);
    });
  });
});
