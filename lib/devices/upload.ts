import "server-only";
import { getDb } from "@/db/client";
import type { DeviceActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { auditedRefusals } from "@/lib/audit/record";
import { ingestReadings, type IngestOutcome, type ReadingCandidate, type Rejection } from "@/lib/readings/ingest";
import { readingOrigin } from "@/lib/readings/identity";
import { parseInput } from "@/lib/validation";
import { deviceReadingToCandidate } from "./readings";
import { deviceUploadSchema } from "./schemas";

/**
 * A device's batch: each reading checked on its own (rejections carry their index), the valid
 * ones written for the device's bound patient through the shared write path, and last contact,
 * firmware, battery and the audit event recorded, all in one statement. The answer is sent only
 * after commit.
 */
export async function uploadDeviceReadings(device: DeviceActor, body: unknown, now = new Date()): Promise<Omit<IngestOutcome, "insertedIds">> {
  return auditedRefusals(device, { action: "create", resourceType: "Observation" }, async () => {
    const upload = parseInput(deviceUploadSchema, body);
    const patient = await authorizePatient(getDb(), device, "reading:create", device.patientId);
    const candidates: ReadingCandidate[] = [];
    const parseRejections: Rejection[] = [];
    upload.readings.forEach((raw, index) => {
      const parsed = deviceReadingToCandidate(device.deviceId, device.deviceKind, raw, index);
      if ("candidate" in parsed) candidates.push(parsed.candidate);
      else parseRejections.push(parsed.rejection);
    });
    // One statement writes the readings, the device's report and the audit event: atomic without a
    // transaction, which saves round trips per upload (bench:ingest).
    const outcome = await ingestReadings(
      getDb(),
      {
        actor: device,
        patient,
        source: "device",
        origin: readingOrigin.device(device.deviceId),
        deviceId: device.deviceId,
        deviceReport: { firmwareVersion: upload.firmwareVersion, battery: upload.battery },
      },
      candidates,
      now,
    );
    return {
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      // The answer documented in docs/device-api.md: position and reason (not which check failed).
      rejected: [...parseRejections, ...outcome.rejected].map(({ index, reason }) => ({ index, reason })).sort((a, b) => a.index - b.index),
    };
  });
}
