import { optionalUploaderApi } from "@/lib/http/api";
import { LANTERN_VERSION } from "@/lib/uploader/server-info";

/** What uploader apps check before they upload: the server is up, and which unit it uses. */
export const GET = optionalUploaderApi(async ({ caller }) => {
  const now = new Date();
  return {
    status: "ok",
    name: "Lantern",
    version: LANTERN_VERSION,
    serverTime: now.toISOString(),
    serverTimeEpoch: now.getTime(),
    apiEnabled: true,
    // Treatments are stored (careportal is Nightscout's name for them).
    careportalEnabled: true,
    boluscalcEnabled: false,
    authorized: caller ? { api: true } : null,
    settings: { units: caller?.preferredUnit === "mmol/L" ? "mmol" : "mg/dl", enable: ["careportal"], thresholds: { bgHigh: 260, bgTargetTop: 180, bgTargetBottom: 70, bgLow: 55 } },
    extendedSettings: {},
  };
});
