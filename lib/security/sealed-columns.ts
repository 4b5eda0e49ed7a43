import { dataKeyring } from "@/lib/config";
import { open, seal } from "./data-encryption";

/**
 * Every column encrypted at rest (docs/privacy.md): the table (its primary key is `id`) and the
 * column. `table.column` is the context each value is sealed for, so a value copied elsewhere
 * does not open. Start-up seals values stored before a column was encrypted, and
 * `npm run admin -- data:reencrypt` re-seals every column under the active key
 * (lib/privacy/encryption-at-rest.ts).
 */
export const SEALED_COLUMNS = {
  hospitalEndpointBearerToken: { table: "hospital_endpoints", column: "bearer_token" },
  notificationChannelSigningSecret: { table: "notification_channels", column: "signing_secret" },
} as const;

export type SealedColumn = keyof typeof SEALED_COLUMNS;

export function sealingContext(column: SealedColumn): string {
  const { table, column: name } = SEALED_COLUMNS[column];
  return `${table}.${name}`;
}

/** Seals a value for one column under the active data key. */
export function sealFor(column: SealedColumn, plaintext: string): string {
  return seal(dataKeyring(), sealingContext(column), plaintext);
}

/** Opens a value of one column; throws SealedValueError, saying what to do, when it does not open. */
export function openFrom(column: SealedColumn, sealed: string): string {
  return open(dataKeyring(), sealingContext(column), sealed);
}
