import "server-only";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { devices, patients } from "@/db/schema";
import type { DeviceKind } from "@/db/schema/readings-enums";
import type { Actor, DeviceActor, RequestOrigin, UserActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited, type AnonymousCaller } from "@/lib/audit/record";
import { AppError, notFound } from "@/lib/errors";
import { generatePairingCode, generateToken, normalizePairingCode, sha256Hex } from "@/lib/security/tokens";
import { isUuid } from "@/lib/ids";
import { parseInput } from "@/lib/validation";
import { deviceRegistrationSchema, pairingRequestSchema } from "./schemas";

export const PAIRING_CODE_LIFETIME_MS = 15 * 60 * 1000;
const DEVICE_TOKEN_PREFIX = "lnt_dev";

/** How long a device may be silent before it is shown as stale. */
export const staleAfterMinutes: Record<DeviceKind, number> = {
  cgm: 30, // a CGM uploads every 5 minutes
  "fingerstick-meter": 3 * 24 * 60, // a meter syncs when used, at least daily
};

export function isStale(kind: DeviceKind, lastContactAt: Date | null, now: Date): boolean {
  if (!lastContactAt) return false; // not yet paired or never sent anything: shown as such, not stale
  return now.getTime() - lastContactAt.getTime() > staleAfterMinutes[kind] * 60_000;
}

/** Registers a meter for a patient the actor may see; returns a one-time pairing code. */
export async function registerDevice(actor: UserActor, patientId: string, input: unknown, now = new Date()) {
  return audited(actor, { action: "create", resourceType: "Device" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:manage", patientId);
    trail.touch(patient.id);
    const form = parseInput(deviceRegistrationSchema, input);
    const pairingCode = generatePairingCode();
    const expiresAt = new Date(now.getTime() + PAIRING_CODE_LIFETIME_MS);
    const [device] = await tx
      .insert(devices)
      .values({
        patientId: patient.id,
        kind: form.kind,
        model: form.model,
        serialNumber: form.serialNumber,
        pairingCodeHash: sha256Hex(normalizePairingCode(pairingCode)),
        pairingCodeExpiresAt: expiresAt,
        registeredByUserId: actor.userId,
      })
      .returning({ id: devices.id });
    trail.resourceId = device!.id;
    return { deviceId: device!.id, pairingCode, expiresAt };
  });
}

const PAIRING_REFUSED = "This pairing code is not valid: it may be mistyped, used already, or older than 15 minutes. Register the meter again in Lantern to get a new code.";

/**
 * The meter's side of pairing. The code works once, within 15 minutes, for the serial number it
 * was issued to; the device receives its token, which is stored only as a hash.
 */
export async function pairDevice(caller: AnonymousCaller, input: unknown, now = new Date()): Promise<{ deviceId: string; token: string }> {
  const request = parseInput(pairingRequestSchema, input);
  const token = generateToken(DEVICE_TOKEN_PREFIX);
  return audited(caller, { action: "pair", resourceType: "Device" }, async (tx, trail) => {
    const [device] = await tx
      .select({ id: devices.id, serialNumber: devices.serialNumber, patientId: devices.patientId })
      .from(devices)
      .where(
        and(
          eq(devices.pairingCodeHash, sha256Hex(normalizePairingCode(request.code))),
          gt(devices.pairingCodeExpiresAt, now),
          isNull(devices.revokedAt),
        ),
      )
      .for("update");
    if (!device) throw new AppError("invalid_input", PAIRING_REFUSED, { code: [PAIRING_REFUSED] });
    trail.touch(device.patientId);
    trail.resourceId = device.id;
    if (device.serialNumber.toLowerCase() !== request.serialNumber.toLowerCase()) {
      const message = "This pairing code was issued for a meter with a different serial number.";
      throw new AppError("invalid_input", message, { serialNumber: [message] });
    }
    await tx
      .update(devices)
      .set({
        pairingCodeHash: null,
        pairingCodeExpiresAt: null,
        tokenHash: sha256Hex(token),
        tokenIssuedAt: now,
        model: request.model,
        firmwareVersion: request.firmwareVersion ?? null,
        lastContactAt: now,
      })
      .where(eq(devices.id, device.id));
    return { deviceId: device.id, token };
  });
}

/** The device a bearer token belongs to, or null for unknown, revoked or malformed tokens. */
export async function authenticateDevice(token: string | null, origin: RequestOrigin): Promise<DeviceActor | null> {
  if (!token?.startsWith(`${DEVICE_TOKEN_PREFIX}_`)) return null;
  const [device] = await getDb()
    .select({ id: devices.id, patientId: devices.patientId, kind: devices.kind, organizationId: patients.organizationId })
    .from(devices)
    .innerJoin(patients, eq(patients.id, devices.patientId))
    .where(and(eq(devices.tokenHash, sha256Hex(token)), isNull(devices.revokedAt)));
  return device
    ? { kind: "device", deviceId: device.id, patientId: device.patientId, deviceKind: device.kind, organizationId: device.organizationId, origin }
    : null;
}

/** A device of a patient the actor may manage, inside the caller's audited transaction. */
async function findPatientDevice(tx: Transaction, actor: UserActor, patientId: string, deviceId: string, trail: { touch(id: string): void; resourceId: string | null }) {
  const patient = await authorizePatient(tx, actor, "device:manage", patientId);
  trail.touch(patient.id);
  trail.resourceId = deviceId;
  const [device] = isUuid(deviceId)
    ? await tx
        .select({ id: devices.id })
        .from(devices)
        .where(and(eq(devices.id, deviceId), eq(devices.patientId, patient.id), isNull(devices.revokedAt)))
    : [];
  if (!device) throw notFound("device");
  return device;
}

/** A new token for a paired device; the old one stops working at once. Shown once. */
export async function rotateDeviceToken(actor: UserActor, patientId: string, deviceId: string, now = new Date()): Promise<{ token: string }> {
  return audited(actor, { action: "update", resourceType: "Device" }, async (tx, trail) => {
    const device = await findPatientDevice(tx, actor, patientId, deviceId, trail);
    const token = generateToken(DEVICE_TOKEN_PREFIX);
    await tx.update(devices).set({ tokenHash: sha256Hex(token), tokenIssuedAt: now }).where(eq(devices.id, device.id));
    return { token };
  });
}

/** Revoking ends the device's access at its next call; its readings stay. */
export async function revokeDevice(actor: UserActor, patientId: string, deviceId: string, now = new Date()): Promise<void> {
  await audited(actor, { action: "revoke", resourceType: "Device" }, async (tx, trail) => {
    const device = await findPatientDevice(tx, actor, patientId, deviceId, trail);
    await tx.update(devices).set({ revokedAt: now, tokenHash: null, pairingCodeHash: null, pairingCodeExpiresAt: null }).where(eq(devices.id, device.id));
  });
}

export interface DeviceSummary {
  id: string;
  kind: DeviceKind;
  model: string;
  serialNumber: string;
  firmwareVersion: string | null;
  batteryPercent: number | null;
  lastContactAt: Date | null;
  /** Why the meter's last upload had readings refused for its clock; null when its clock looked right. */
  clockProblem: string | null;
  clockProblemAt: Date | null;
  status: "awaiting-pairing" | "pairing-expired" | "active" | "stale" | "revoked";
}

export async function listPatientDevices(actor: Actor, patientId: string, now = new Date()): Promise<DeviceSummary[]> {
  return audited(actor, { action: "search", resourceType: "Device" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:search", patientId);
    trail.touch(patient.id);
    const rows = await tx
      .select({
        id: devices.id,
        kind: devices.kind,
        model: devices.model,
        serialNumber: devices.serialNumber,
        firmwareVersion: devices.firmwareVersion,
        batteryPercent: devices.batteryPercent,
        lastContactAt: devices.lastContactAt,
        clockProblem: devices.clockProblem,
        clockProblemAt: devices.clockProblemAt,
        paired: sql<boolean>`${devices.tokenHash} is not null`,
        pairingCodeExpiresAt: devices.pairingCodeExpiresAt,
        revokedAt: devices.revokedAt,
      })
      .from(devices)
      .where(eq(devices.patientId, patient.id))
      .orderBy(asc(devices.createdAt));
    return rows.map(({ paired, pairingCodeExpiresAt, revokedAt, ...device }) => ({
      ...device,
      status: revokedAt
        ? "revoked"
        : !paired
          ? pairingCodeExpiresAt && pairingCodeExpiresAt > now
            ? "awaiting-pairing"
            : "pairing-expired"
          : isStale(device.kind, device.lastContactAt, now)
            ? "stale"
            : "active",
    }));
  });
}
