import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { hospitalEndpoints, pushOutbox } from "@/db/schema";
import { createHospitalEndpoint } from "@/lib/fhir/push/endpoints";
import { deliverDuePushes } from "@/lib/fhir/push/outbox";
import { ingestForTest, insertOrganization, insertPatient, insertUser } from "@/test/factories";

describe("hospital endpoints outside the outbound allowlist (default: this machine only)", () => {
  it("cannot be added, with a sentence on the field", async () => {
    const organization = await insertOrganization();
    const admin = await insertUser(organization.id, "admin");
    await expect(createHospitalEndpoint(admin, { name: "Far away", baseUrl: "https://fhir.elsewhere.example/r4" })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { baseUrl: [expect.stringMatching(/fhir\.elsewhere\.example is not on this deployment's outbound allowlist/)] },
    });
    await expect(createHospitalEndpoint(admin, { name: "Here", baseUrl: "http://127.0.0.1:9/fhir" })).resolves.toMatchObject({ endpointId: expect.any(String) });
  });

  it("receive nothing if one is already stored: the delivery is refused before any connection, with the reason", async () => {
    const organization = await insertOrganization();
    const patientId = (await insertPatient(organization.id)).id;
    const [endpoint] = await getDb().insert(hospitalEndpoints).values({ organizationId: organization.id, name: "Stored earlier", baseUrl: "https://fhir.elsewhere.example/r4" }).returning();
    await ingestForTest(patientId, [{ position: 0, value: 120, unit: "mg/dL", censored: null, effectiveAt: new Date("2026-11-30T10:00:00Z"), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: "allowlist:1" }]);
    await deliverDuePushes();
    const [entry] = await getDb().select().from(pushOutbox).where(eq(pushOutbox.endpointId, endpoint!.id));
    expect(entry).toMatchObject({ status: "pending", attempts: 1, deliveredAt: null, lastError: expect.stringMatching(/not on this deployment's outbound allowlist/) });
  });
});
