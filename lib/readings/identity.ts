import type { Censoring, GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import { sha256Hex } from "@/lib/security/tokens";

/**
 * The identity of a reading, per door (docs/decisions/007-reading-identity.md): two submissions
 * are the same reading when they come from the same source, at the same instant, with the same
 * value as received. A resend is then a duplicate, and two different values are never one reading.
 *
 * Keys go in a unique index, so they are plain text that never changes for the same reading:
 * - parts are separated by `:`; free text (serials, app names, senders) is kept as written when it
 *   is short and plain, else replaced by its SHA-256, so a key stays bounded and no part can pose
 *   as another;
 * - times are epoch milliseconds, whatever offset or notation carried them;
 * - values are the shortest decimal of the number (140 for "140", 140 and 140.0; 5.4 for 5.40), the
 *   unit as received, and `<`/`>` in front of a LO/HI (censored) reading.
 */

export interface ReceivedValue {
  value: number;
  unit: GlucoseUnit;
  censored: Censoring | null;
}

const PLAIN_TEXT = /^[A-Za-z0-9._-]{1,64}$/;

/** Free text as one key part; "" when there is none. Hashes start `sha256-` and are longer than 64, so plain text never looks like one. */
function textPart(text: string | null): string {
  if (text === null || text === "") return "";
  return PLAIN_TEXT.test(text) ? text : `sha256-${sha256Hex(text)}`;
}

/** The value as received, independent of how the number was written. */
function valuePart({ value, unit, censored }: ReceivedValue): string {
  const side = censored === "below" ? "<" : censored === "above" ? ">" : "";
  // String() gives the shortest decimal that reads back as the same number; -0 is 0.
  return `${side}${String(value === 0 ? 0 : value)}${unit}`;
}

/**
 * A connected meter's reading: the meter, its record number when it sends one, the time and the
 * value. A meter whose memory was reset reuses record numbers for new readings: with the time and
 * value in the key those are new readings, while a retry of the same batch is a duplicate.
 */
export function deviceReadingKey(reading: { deviceId: string; seq: number | null; effectiveAt: Date } & ReceivedValue): string {
  const seq = reading.seq === null ? "" : `seq:${reading.seq}:`;
  return `device:${reading.deviceId}:${seq}${reading.effectiveAt.getTime()}:${valuePart(reading)}`;
}

/**
 * A Nightscout entry: its type (sgv, mbg), the `device` string naming the app and sensor that sent
 * it, Nightscout's `date` and the value (mg/dL, as the protocol has it).
 */
export function uploaderEntryKey(entry: { type: "sgv" | "mbg"; device: string | null; date: number; value: number; censored: Censoring | null }): string {
  return `uploader:${entry.type}:${textPart(entry.device)}:${entry.date}:${valuePart({ value: entry.value, unit: "mg/dL", censored: entry.censored })}`;
}

/**
 * A row of an export file: the sensor or meter serial (none in a generic CSV), the record kind (a
 * LibreView historic reading and a scan at the same minute are two readings), the specimen, the
 * time as placed and the value as written. Overlapping exports of the same device meet here.
 */
export function fileReadingKey(reading: { specimen: Specimen; deviceSerial: string | null; recordKind: string; effectiveAt: Date } & ReceivedValue): string {
  return `file:${reading.specimen}:${textPart(reading.deviceSerial)}:${reading.recordKind}:${reading.effectiveAt.getTime()}:${valuePart(reading)}`;
}

/**
 * A FHIR Observation's business identifier. With a system it is global, so any sender resending it
 * names the same reading; without one it only means something to its sender. The write path
 * refuses the same identifier with other content (compare fhirContentKey of the two).
 */
export function fhirIdentifierKey(identifier: { sender: string; system: string | null; value: string }): string {
  const scope = identifier.system === null ? ["sender", identifier.sender] : ["system", identifier.system];
  return `fhir:identifier:sha256-${sha256Hex(JSON.stringify([...scope, identifier.value]))}`;
}

/** A FHIR Observation without an identifier: who sent it (backend client or user), specimen, time and value. */
export function fhirContentKey(reading: { sender: string; specimen: Specimen; effectiveAt: Date } & ReceivedValue): string {
  return `fhir:${reading.specimen}:${textPart(reading.sender)}:${reading.effectiveAt.getTime()}:${valuePart(reading)}`;
}

/**
 * Origins: where a reading came from, finer than its door (`source`). Within one origin two
 * readings are two readings; the same sensor reading from two origins is stored twice and counted
 * once (the write path marks the second as a duplicate of the first).
 */
export const readingOrigin = {
  device: (deviceId: string) => `device:${deviceId}`,
  uploader: (appDevice: string | null) => `uploader:${textPart(appDevice)}`,
  file: (deviceSerial: string | null, recordKind: string) => `file:${textPart(deviceSerial)}:${recordKind}`,
  fhir: (sender: string) => `fhir:${textPart(sender)}`,
  manual: (userId: string) => `manual:${userId}`,
};
