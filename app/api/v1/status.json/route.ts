import { optionalUploaderApi } from "@/lib/http/api";

/** What uploader apps check before they upload: the server is up, and which unit it uses. */
export const GET = optionalUploaderApi(async ({ caller }) => {
  const now = new Date();
  return {
    status: "ok",
    name: "Lantern",
    version: "0.1.0",
    serverTime: now.toISOString(),
    serverTimeEpoch: now.getTime(),
    apiEnabled: true,
    careportalEnabled: false,
    boluscalcEnabled: false,
    authorized: caller ? { api: true } : null,
    settings: { units: caller?.preferredUnit === "mmol/L" ? "mmol" : "mg/dl", enable: [], thresholds: { bgHigh: 260, bgTargetTop: 180, bgTargetBottom: 70, bgLow: 55 } },
    extendedSettings: {},
  };
});
