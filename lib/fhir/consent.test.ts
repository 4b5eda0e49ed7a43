import { beforeAll, describe, expect, it } from "vitest";
import { toFhirConsent, type FhirConsentInput } from "./consent";
import { allErrors, loadCgmProfiles } from "./testing/fhir-validator";

// Loading the R4 definitions takes seconds on a shared machine.
beforeAll(() => {
  loadCgmProfiles();
  allErrors(toFhirConsent(record()));
}, 60_000);

const record = (change: Partial<FhirConsentInput> = {}): FhirConsentInput => ({
  id: "3f0e4c1a-9b7d-4e2f-8a6c-5d4b3a291807",
  patientId: "7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f",
  organizationId: "0b6f7e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
  purpose: "hospital-sharing",
  decision: "deny",
  policyVersion: "2026-12-01",
  decidedAs: "patient",
  decidedByUserId: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
  decidedAt: new Date("2026-12-02T10:15:00Z"),
  supersededAt: null,
  ...change,
});

describe("a consent decision as a FHIR Consent", () => {
  const purposes = ["hospital-sharing", "research", "product-analytics", "marketing"] as const;
  const cases = purposes.flatMap((purpose) =>
    (["permit", "deny"] as const).flatMap((decision) =>
      (["patient", "guardian"] as const).map((decidedAs) => [purpose, decision, decidedAs] as const),
    ),
  );

  it.each(cases)("%s %s decided by the %s validates against R4 with its displays", (purpose, decision, decidedAs) => {
    const consent = toFhirConsent(record({ purpose, decision, decidedAs }));
    expect(allErrors(consent)).toEqual([]);
    expect(consent.provision?.type).toBe(decision);
  });

  it("says who decided, under which notice, when, and for which purpose", () => {
    expect(toFhirConsent(record({ purpose: "research", decision: "permit", decidedAs: "guardian" }))).toMatchObject({
      status: "active",
      scope: { coding: [{ code: "research" }] },
      dateTime: "2026-12-02T10:15:00.000Z",
      performer: [{ type: "RelatedPerson", identifier: { system: "urn:lantern:user", value: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170" } }],
      policy: [{ uri: "urn:lantern:privacy-policy:2026-12-01" }],
      policyRule: { coding: [{ code: "OPTIN" }] },
      provision: { type: "permit", purpose: [{ code: "HRESCH" }] },
    });
    expect(toFhirConsent(record()).performer).toEqual([{ reference: "Patient/7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f" }]);
  });

  it("is inactive once a later decision supersedes it", () => {
    const superseded = toFhirConsent(record({ supersededAt: new Date("2026-12-03T08:00:00Z") }));
    expect(superseded.status).toBe("inactive");
    expect(superseded.meta?.lastUpdated).toBe("2026-12-03T08:00:00.000Z");
    expect(allErrors(superseded)).toEqual([]);
  });
});
