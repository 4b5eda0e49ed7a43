import { z } from "zod";
import type { LoopSummary, PumpSummary } from "@/db/schema/nightscout";
import { whatIsUnacceptable, type TimeBounds } from "@/lib/readings/validation";
import { offsetAt } from "@/lib/time/zones";
import { appName, asDocument, boundedText, firstDocumentTime, numeric, utcOffsetField } from "./documents";
import { computedIdentifier } from "./identifiers";
import { notAnObjectReason, unacceptableReason, unreadableTimeReason } from "./problem-reasons";

/**
 * Nightscout device status reports: the uploader phone's battery (xDrip+, AndroidAPS, Loop) and,
 * from looping apps, the pump and the loop. Lantern keeps a small whitelisted summary; anything
 * it cannot read in a report is left out of the summary, never a reason to refuse the report.
 * Looping apps write the loop in one of two shapes: `loop` (Loop) or `openaps` (AndroidAPS,
 * Trio, OpenAPS rigs).
 */

const percent = numeric(z.number().min(0).max(100));
const units = numeric(z.number().min(0).max(1000));
const grams = numeric(z.number().min(0).max(1000));
// Insulin on board can be negative (less basal than scheduled).
const insulinOnBoard = numeric(z.number().min(-100).max(100));
const rate = numeric(z.number().min(0).max(50));
const minutes = numeric(z.number().min(0).max(24 * 60));
const shortText = boundedText(40);

/** A value when the schema reads it, else undefined: one bad field costs only itself. */
function read<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success && parsed.data !== undefined && parsed.data !== null ? parsed.data : undefined;
}

const object = (value: unknown): Record<string, unknown> => asDocument(value) ?? {};

/** Drops the fields a report did not have, so summaries stay small and comparable. */
function defined<T extends object>(summary: T): T {
  return Object.fromEntries(Object.entries(summary).filter(([, value]) => value !== undefined)) as T;
}

function pumpSummary(value: unknown): PumpSummary | null {
  if (!asDocument(value)) return null;
  const pump = object(value);
  const status = object(pump.status);
  const summary = defined<PumpSummary>({
    reservoirUnits: read(units, pump.reservoir),
    batteryPercent: read(percent, object(pump.battery).percent),
    status: read(shortText, status.status),
    suspended: read(z.boolean(), status.suspended ?? pump.suspended),
    bolusing: read(z.boolean(), status.bolusing ?? pump.bolusing),
    clock: read(shortText, pump.clock),
  });
  return Object.keys(summary).length ? summary : null;
}

function loopSummary(document: Record<string, unknown>): LoopSummary | null {
  if (asDocument(document.loop)) {
    const loop = object(document.loop);
    const enacted = object(loop.enacted);
    return defined<LoopSummary>({
      system: read(shortText, loop.name) ?? "Loop",
      iobUnits: read(insulinOnBoard, object(loop.iob).iob),
      cobGrams: read(grams, object(loop.cob).cob),
      ranAt: read(shortText, loop.timestamp),
      enactedRate: read(rate, enacted.rate),
      enactedDurationMinutes: read(minutes, enacted.duration),
      enactedAt: read(shortText, enacted.timestamp),
      failed: typeof loop.failureReason === "string" && loop.failureReason !== "" ? true : undefined,
    });
  }
  if (asDocument(document.openaps)) {
    const openaps = object(document.openaps);
    // OpenAPS rigs send the insulin on board as a list, newest first; AndroidAPS as one object.
    const iob = Array.isArray(openaps.iob) ? object(openaps.iob[0]) : object(openaps.iob);
    const suggested = object(openaps.suggested);
    const enacted = object(openaps.enacted);
    return defined<LoopSummary>({
      system: "OpenAPS",
      iobUnits: read(insulinOnBoard, iob.iob),
      cobGrams: read(grams, suggested.COB ?? enacted.COB),
      ranAt: read(shortText, suggested.timestamp ?? suggested.deliverAt),
      enactedRate: read(rate, enacted.rate),
      enactedDurationMinutes: read(minutes, enacted.duration),
      enactedAt: read(shortText, enacted.timestamp),
    });
  }
  return null;
}

export interface DeviceStatusCandidate {
  identifier: string;
  app: string;
  reportedAt: Date;
  utcOffsetMinutes: number;
  uploaderBattery: number | null;
  uploaderCharging: boolean | null;
  pump: PumpSummary | null;
  loop: LoopSummary | null;
}

export interface DeviceStatusContext {
  timeZone: string;
  bounds: TimeBounds;
  now: Date;
}

export type DeviceStatusParse = { candidate: DeviceStatusCandidate } | { notStored: { app: string; reason: string } };

const TIME_FIELDS = ["created_at", "date", "mills"] as const;

/**
 * One device status report: its summary, or why it is not stored. A report without a time is
 * dated when it arrives, as Nightscout does: it describes the app's state now. Never throws.
 */
export function deviceStatusToCandidate(raw: unknown, context: DeviceStatusContext): DeviceStatusParse {
  const document = asDocument(raw);
  if (!document) return { notStored: { app: appName(), reason: notAnObjectReason("Device status reports") } };
  const app = appName(document.device, document.app);
  const time = firstDocumentTime(document, TIME_FIELDS, context.timeZone);
  if (time === "unreadable") return { notStored: { app, reason: unreadableTimeReason("Device status reports") } };
  const reportedAt = time === "missing" ? context.now : time.instant;
  const writtenOffset = time === "missing" ? null : time.writtenOffsetMinutes;
  const utcOffsetMinutes = utcOffsetField(document.utcOffset) ?? writtenOffset ?? offsetAt(reportedAt, context.timeZone);
  const unacceptable = whatIsUnacceptable({ value: 100, unit: "mg/dL", censored: null, effectiveAt: reportedAt, utcOffsetMinutes }, context.now, context.bounds);
  if (unacceptable) return { notStored: { app, reason: unacceptableReason("Device status reports", unacceptable.kind) } };

  const uploader = object(document.uploader);
  const device = typeof document.device === "string" ? document.device : null;
  return {
    candidate: {
      identifier: read(boundedText(200), document.identifier) ?? computedIdentifier({ device, date: reportedAt.getTime(), eventType: null }),
      app,
      reportedAt,
      utcOffsetMinutes,
      uploaderBattery: read(percent.transform(Math.round), document.uploaderBattery ?? uploader.battery) ?? null,
      uploaderCharging: read(z.boolean(), document.isCharging ?? uploader.isCharging) ?? null,
      pump: pumpSummary(document.pump),
      loop: loopSummary(document),
    },
  };
}

export interface StoredDeviceStatusRow {
  identifier: string;
  app: string;
  reportedAt: Date;
  utcOffsetMinutes: number;
  uploaderBattery: number | null;
  uploaderCharging: boolean | null;
  pump: PumpSummary | null;
  loop: LoopSummary | null;
  srvCreated: Date;
  srvModified: Date;
}

/**
 * A stored report as Nightscout API v1 returns device status: the summary in the shapes apps
 * read (`uploader`, `pump`, `loop` or `openaps`), not the whole report the app sent.
 */
export function toNightscoutDeviceStatus(row: StoredDeviceStatusRow) {
  const { pump, loop } = row;
  const enacted = loop && loop.enactedRate !== undefined ? defined({ rate: loop.enactedRate, duration: loop.enactedDurationMinutes, timestamp: loop.enactedAt }) : undefined;
  return defined({
    _id: row.identifier,
    identifier: row.identifier,
    device: row.app,
    created_at: row.reportedAt.toISOString(),
    date: row.reportedAt.getTime(),
    utcOffset: row.utcOffsetMinutes,
    uploaderBattery: row.uploaderBattery ?? undefined,
    isCharging: row.uploaderCharging ?? undefined,
    uploader: row.uploaderBattery === null ? undefined : { battery: row.uploaderBattery },
    pump: pump
      ? defined({
          reservoir: pump.reservoirUnits,
          battery: pump.batteryPercent === undefined ? undefined : { percent: pump.batteryPercent },
          status: defined({ status: pump.status, suspended: pump.suspended, bolusing: pump.bolusing }),
          clock: pump.clock,
        })
      : undefined,
    loop:
      loop && loop.system !== "OpenAPS"
        ? defined({ name: loop.system, timestamp: loop.ranAt, iob: defined({ iob: loop.iobUnits }), cob: defined({ cob: loop.cobGrams }), enacted, failureReason: loop.failed ? "failed" : undefined })
        : undefined,
    openaps:
      loop && loop.system === "OpenAPS"
        ? defined({ iob: defined({ iob: loop.iobUnits }), suggested: defined({ COB: loop.cobGrams, timestamp: loop.ranAt }), enacted })
        : undefined,
  });
}

/** The same report as an API v3 document. */
export function toNightscoutDeviceStatusV3(row: StoredDeviceStatusRow) {
  const { _id, ...status } = toNightscoutDeviceStatus(row);
  return { ...status, identifier: _id, app: row.app, isValid: true, srvCreated: row.srvCreated.getTime(), srvModified: row.srvModified.getTime() };
}
