import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/db/client";
import { dataKeyring } from "@/lib/config";
import { blindIndex, type DataKeyring, isSealed, open, seal, SEALED_PATTERN } from "@/lib/security/data-encryption";
import { indexedForm, SEALED_COLUMNS, sealingContext, type SealedColumn } from "@/lib/security/sealed-columns";

/**
 * The database side of encryption at rest (docs/decisions/020-encryption-at-rest.md): sealing the
 * values a column held before it was encrypted (and filling their blind index) (at every start, after the migrations: the
 * migrations cannot see the key), re-sealing under the active key after a rotation
 * (`npm run admin -- data:reencrypt`), and checking at start that this server holds every key
 * the database uses.
 */

const BATCH = 500;

export type ColumnKeys = { column: string; keyId: string | null; values: number };

/** How many values of each encrypted column each key sealed (`keyId` null: still in plaintext). */
export async function dataKeyUsage(db: Database): Promise<ColumnKeys[]> {
  const usage: ColumnKeys[] = [];
  for (const name of Object.keys(SEALED_COLUMNS) as SealedColumn[]) {
    const { table, column } = SEALED_COLUMNS[name];
    const rows = rowsOf<{ key_id: string | null; value_count: number }>(
      await db.execute(sql`
        select case when ${sql.identifier(column)} ~ ${SEALED_PATTERN} then split_part(${sql.identifier(column)}, ':', 2) end as key_id, count(*)::int as value_count
        from ${sql.identifier(table)} where ${sql.identifier(column)} is not null group by 1 order by 1`),
    );
    usage.push(...rows.map((row) => ({ column: sealingContext(name), keyId: row.key_id, values: Number(row.value_count) })));
  }
  return usage;
}

/**
 * Refuses to go on when the database holds values sealed with a key this server lacks (another
 * process's generated key, a key dropped from LANTERN_DATA_KEYS too early): better a start that
 * stops with the reason than pages that fail one by one.
 */
export async function assertDataKeysPresent(db: Database, keyring: DataKeyring = dataKeyring()): Promise<void> {
  const missing = [...new Set((await dataKeyUsage(db)).map((usage) => usage.keyId).filter((keyId): keyId is string => keyId !== null && !keyring.byId.has(keyId)))];
  if (missing.length > 0) {
    throw new Error(
      `The database holds values encrypted with the data key${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which this server does not have. ` +
        "Give it the same LANTERN_DATA_KEYS as the server that wrote them (or its data-keys file), keeping old keys until npm run admin -- data:reencrypt has run.",
    );
  }
}

/**
 * Seals every value still in plaintext and, with `rotate`, re-seals every value sealed with
 * another key than the active one. Idempotent and safe beside running servers: each row is
 * written only if it still holds the value read. Returns how many values each column changed.
 */
export async function resealColumns(db: Database, { rotate }: { rotate: boolean }, keyring: DataKeyring = dataKeyring()): Promise<{ column: string; resealed: number }[]> {
  const report: { column: string; resealed: number }[] = [];
  for (const name of Object.keys(SEALED_COLUMNS) as SealedColumn[]) {
    const { table, column, indexColumn } = SEALED_COLUMNS[name];
    const context = sealingContext(name);
    const target = sql.identifier(column);
    const stale = rotate ? sql`(${target} !~ ${SEALED_PATTERN} or split_part(${target}, ':', 2) <> ${keyring.active.id})` : sql`${target} !~ ${SEALED_PATTERN}`;
    let resealed = 0;
    for (;;) {
      const rows = rowsOf<{ id: string; value: string }>(
        await db.execute(sql`select id, ${target} as value from ${sql.identifier(table)} where ${target} is not null and ${stale} order by id limit ${BATCH}`),
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const plaintext = isSealed(row.value) ? open(keyring, context, row.value) : row.value;
        // The blind index follows the key: rebuilt with the value.
        const index = indexColumn === null ? sql`` : sql`, ${sql.identifier(indexColumn)} = ${blindIndex(keyring, context, indexedForm(name, plaintext))}`;
        await db.execute(sql`update ${sql.identifier(table)} set ${target} = ${seal(keyring, context, plaintext)}${index} where id = ${row.id} and ${target} = ${row.value}`);
        resealed++;
      }
    }
    report.push({ column: context, resealed });
  }
  return report;
}
