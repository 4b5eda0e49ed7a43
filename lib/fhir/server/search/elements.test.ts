import type { Observation } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { subsetResource } from "./elements";

const observation: Observation = {
  resourceType: "Observation",
  id: "7",
  meta: { versionId: "1", profile: ["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-mass-per-volume"], tag: [{ system: "urn:lantern:reading-source", code: "device" }] },
  status: "final",
  code: { text: "glucose" },
  subject: { reference: "Patient/p" },
  effectiveDateTime: "2026-11-24T08:05:00+01:00",
  valueQuantity: { value: 120, code: "mg/dL" },
};
const declaration = { elements: ["status", "code", "subject", "effective[x]", "value[x]"], mandatory: ["status", "code"] };
const subsetted = { system: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", code: "SUBSETTED", display: "subsetted" };

describe("subsetResource", () => {
  it.each([
    [["value"], ["resourceType", "id", "meta", "status", "code", "valueQuantity"]],
    [["valueQuantity"], ["resourceType", "id", "meta", "status", "code", "valueQuantity"]],
    [["effective", "subject"], ["resourceType", "id", "meta", "status", "code", "subject", "effectiveDateTime"]],
    [["status"], ["resourceType", "id", "meta", "status", "code"]],
  ])("_elements=%j keeps %j", (elements, keys) => {
    expect(Object.keys(subsetResource(observation, elements, declaration))).toEqual(keys);
  });

  it("tags the subset SUBSETTED and stops claiming the profiles it may no longer meet", () => {
    expect(subsetResource(observation, ["value"], declaration).meta).toEqual({ versionId: "1", tag: [{ system: "urn:lantern:reading-source", code: "device" }, subsetted] });
    expect(observation.meta!.profile).toHaveLength(1);
  });
});
