import "server-only";
import { getDb } from "@/db/client";
import { ingestReadings, type IngestOutcome, type ReadingCandidate, type Rejection } from "@/lib/readings/ingest";
import { parseInput } from "@/lib/validation";
import { deviceReadingToCandidate } from "./readings";
import { recordDeviceContact, type DeviceActor } from "./registry";
import { deviceUploadSchema } from "./schemas";

/**
 * A device's batch: each reading checked on its own (rejections carry their index), the valid
 * ones written for the device's bound patient through the shared write path, and last contact,
 * firmware and battery recorded, all in one transaction. The answer is sent only after commit.
 */
export async function uploadDeviceReadings(device: DeviceActor, body: unknown, now = new Date()): Promise<Omit<IngestOutcome, "insertedIds">> {
  const upload = parseInput(deviceUploadSchema, body);
  const candidates: ReadingCandidate[] = [];
  const parseRejections: Rejection[] = [];
  upload.readings.forEach((raw, index) => {
    const parsed = deviceReadingToCandidate(device.deviceId, device.deviceKind, raw, index);
    if ("candidate" in parsed) candidates.push(parsed.candidate);
    else parseRejections.push(parsed.rejection);
  });
  const outcome = await getDb().transaction(async (tx) => {
    const written = await ingestReadings(tx, { patientId: device.patientId, source: "device", deviceId: device.deviceId }, candidates, now);
    await recordDeviceContact(tx, device, upload, now);
    return written;
  });
  return {
    accepted: outcome.accepted,
    duplicates: outcome.duplicates,
    rejected: [...parseRejections, ...outcome.rejected].sort((a, b) => a.index - b.index),
  };
}
