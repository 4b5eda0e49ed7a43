import { z } from "zod";
import { deviceKinds, glucoseUnits, mealContexts } from "@/db/schema/readings-enums";
import { parseGlucoseUnit } from "@/lib/readings/units";

/** A person registers a meter in the portal; the same schema serves the form and the action. */
export const deviceRegistrationSchema = z.object({
  kind: z.enum(deviceKinds, { message: "Choose fingerstick meter or CGM" }),
  model: z.string().trim().min(1, "Enter the meter's model, e.g. Contour Next One").max(100),
  serialNumber: z.string().trim().min(3, "Enter the serial number printed on the meter").max(64),
});

/** What a meter sends to POST /api/devices/pair. */
export const pairingRequestSchema = z.object({
  code: z.string().min(1, "code is required"),
  serialNumber: z.string().trim().min(1, "serialNumber is required").max(64),
  model: z.string().trim().min(1, "model is required").max(100),
  firmwareVersion: z.string().trim().max(50).optional(),
});

export const MAX_READINGS_PER_UPLOAD = 10_000;

/** POST /api/devices/readings, checked as a whole; each reading is then checked on its own. */
export const deviceUploadSchema = z.object({
  readings: z
    .array(z.unknown(), { message: "readings must be an array" })
    .max(MAX_READINGS_PER_UPLOAD, `Send at most ${MAX_READINGS_PER_UPLOAD} readings per request`),
  firmwareVersion: z.string().trim().min(1).max(50).optional(),
  battery: z.number().int().min(0, "battery is a percentage, 0-100").max(100, "battery is a percentage, 0-100").optional(),
});

export const deviceReadingSchema = z.object({
  time: z.iso.datetime({ offset: true, message: "time must be ISO 8601 with its UTC offset, e.g. 2026-11-24T08:05:00+01:00" }),
  value: z.number({ message: "value must be a number" }),
  // Any letter case, as in export files: meters write mg/dl and MMOL/L as often as mg/dL.
  unit: z.preprocess((unit) => (typeof unit === "string" ? (parseGlucoseUnit(unit) ?? unit) : unit), z.enum(glucoseUnits, { message: "unit must be mg/dL or mmol/L" })),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  mealContext: z.enum(mealContexts, { message: `mealContext must be one of ${mealContexts.join(", ")}` }).optional(),
  flags: z.array(z.enum(["LO", "HI", "control"], { message: "flags may hold LO, HI or control" })).max(3).optional(),
});

export type DeviceReading = z.infer<typeof deviceReadingSchema>;
