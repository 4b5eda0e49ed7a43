import { authenticateUploader } from "@/lib/uploader/service";

/** What uploader apps check before they upload: the server is up, and which unit it uses. */
export async function GET(request: Request) {
  const uploader = await authenticateUploader(request.headers.get("api-secret"));
  const now = new Date();
  return Response.json({
    status: "ok",
    name: "Lantern",
    version: "0.1.0",
    serverTime: now.toISOString(),
    serverTimeEpoch: now.getTime(),
    apiEnabled: true,
    careportalEnabled: false,
    boluscalcEnabled: false,
    authorized: uploader ? { api: true } : null,
    settings: { units: uploader?.preferredUnit === "mmol/L" ? "mmol" : "mg/dl", enable: [], thresholds: { bgHigh: 260, bgTargetTop: 180, bgTargetBottom: 70, bgLow: 55 } },
    extendedSettings: {},
  });
}
