/**
 * npm run admin -- <command>: operator tasks from the server's shell, on the configured database
 * (DATABASE_URL, else the embedded one: stop the server first, it holds the embedded folder).
 *
 *   clients:add --org <organizationId> --name <name> (--jwks-file <path> | --jwks-url <url>) --scopes "system/Patient.rs system/Observation.rs"
 *   clients:list --org <organizationId>
 *   clients:revoke <clientId>
 *   audit:verify [--anchor <seq>:<hash>]
 *   data-keys:new
 *   data:reencrypt
 *
 * The same checks and data-layer functions as the admin page (lib/fhir/smart/clients.ts), acting
 * as the operator (audited like an admin's actions).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { installDatabaseHandle, openConfiguredDatabase } from "@/db/client";
import { ASSIGNABLE_SCOPES } from "@/lib/access/scopes";
import { operatorIn } from "@/lib/admin/operator";
import { verifyAuditChain } from "@/lib/audit/verify";
import { dataKeysFile, environment } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import { listBackendClients, organizationOfBackendClient, registerBackendClient, revokeBackendClient } from "@/lib/fhir/smart/clients";
import { dataKeyUsage, resealColumns } from "@/lib/privacy/encryption-at-rest";
import { generateDataKeyEntry } from "@/lib/security/data-encryption";

const usage = `Usage: npm run admin -- <command>

  clients:add --org <organizationId> --name <name> (--jwks-file <path> | --jwks-url <url>) --scopes "<scope> <scope>..."
      Registers a hospital system for the FHIR API (SMART Backend Services) and prints its client_id.
      Scopes: ${ASSIGNABLE_SCOPES.join(" ")}
  clients:list --org <organizationId>
  clients:revoke <clientId>
      Its access tokens stop working at their next use; it cannot get new ones.
  audit:verify [--anchor <seq>:<hash>]
      Recomputes the audit trail's hash chain. Prints how many rows verified and the last row's
      seq:hash (keep it outside the database as an anchor); exit code 1 names the first row that
      was changed or removed. With --anchor, also fails when that row or rows after it are gone.
  data-keys:new
      Makes a new data key (encryption at rest; docs/privacy.md). With LANTERN_DATA_KEYS set, prints
      it: put it first in LANTERN_DATA_KEYS, keep the old keys after it, restart every server, then
      run data:reencrypt. Without, adds it first in the data-keys file of the data folder
      (stop the server first; restart it, then run data:reencrypt).
  data:reencrypt
      Re-encrypts every encrypted value with the active (first) data key, and encrypts any value
      still in plaintext. Prints which keys are still in use: an old key may be removed once no
      value uses it.`;

class UsageError extends Error {}

const cliOptions = {
  org: { type: "string" },
  name: { type: "string" },
  "jwks-file": { type: "string" },
  "jwks-url": { type: "string" },
  scopes: { type: "string" },
  anchor: { type: "string" },
} as const;
type CliArgs = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof cliOptions }>>;

function option(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`Missing --${name}.`);
  return value;
}

async function run(command: string | undefined, { values, positionals }: CliArgs): Promise<number> {
  switch (command) {
    case "clients:add": {
      const jwksFile = values["jwks-file"];
      const jwksUrl = values["jwks-url"];
      if (Boolean(jwksFile) === Boolean(jwksUrl)) throw new UsageError("Give exactly one of --jwks-file and --jwks-url.");
      let jwks: string | undefined;
      if (jwksFile) {
        try {
          jwks = readFileSync(jwksFile, "utf8");
        } catch {
          throw new UsageError(`Cannot read ${jwksFile}.`);
        }
      }
      const client = await registerBackendClient(await operatorIn(option(values, "org")), { name: option(values, "name"), jwks, jwksUrl, scopes: option(values, "scopes") });
      console.log(`Registered "${client.name}".`);
      console.log(`client_id: ${client.clientId}`);
      console.log(`scopes:    ${client.allowedScopes.join(" ")}`);
      console.log("Token URL: <this server's origin>/fhir/auth/token (see docs/fhir.md)");
      return 0;
    }
    case "clients:list": {
      const clients = await listBackendClients(await operatorIn(option(values, "org")));
      if (clients.length === 0) console.log("No backend clients in this organization.");
      for (const client of clients) {
        const status = client.revokedAt ? `revoked ${client.revokedAt.toISOString()}` : "active";
        const keys = client.jwksUrl ? `jwks_url ${client.jwksUrl}` : `kid ${client.keyIds?.join(",")}`;
        console.log(`${client.clientId}  ${status.padEnd(32)} ${client.name}  [${client.allowedScopes.join(" ")}]  ${keys}`);
      }
      return 0;
    }
    case "clients:revoke": {
      const clientId = positionals[0];
      if (!clientId) throw new UsageError("Name the client: clients:revoke <clientId>.");
      const organizationId = await organizationOfBackendClient(clientId);
      if (!organizationId) throw new UsageError(`No backend client has the id ${clientId}.`);
      const revoked = await revokeBackendClient(await operatorIn(organizationId), clientId);
      console.log(`Revoked "${revoked.name}" (${revoked.clientId}) at ${revoked.revokedAt.toISOString()}.`);
      return 0;
    }
    case "audit:verify": {
      const anchorText = values.anchor;
      const anchorMatch = typeof anchorText === "string" ? /^(\d+):([0-9a-f]{64})$/.exec(anchorText) : null;
      if (anchorText !== undefined && !anchorMatch) throw new UsageError("--anchor takes <seq>:<hash>, as audit:verify printed it.");
      const verdict = await verifyAuditChain(handle.db, anchorMatch ? { seq: Number(anchorMatch[1]), hash: anchorMatch[2]! } : undefined);
      if (!verdict.ok) {
        console.error(`The audit trail does not verify: ${verdict.problem}. First bad row: ${verdict.seq} (${verdict.verified} rows before it verified).`);
        return 1;
      }
      console.log(`${verdict.verified} audit rows verified.${verdict.lastSeq === null ? "" : ` Anchor: ${verdict.lastSeq}:${verdict.lastHash}`}`);
      return 0;
    }
    case "data:reencrypt": {
      for (const { column, resealed } of await resealColumns(handle.db, { rotate: true })) console.log(`${column}: ${resealed} values re-encrypted`);
      const inUse = [...new Set((await dataKeyUsage(handle.db)).map((usage) => usage.keyId))];
      console.log(inUse.length === 0 ? "No encrypted values yet." : `Data keys in use: ${inUse.join(", ")}. Any other key can be removed.`);
      return 0;
    }
    default:
      throw new UsageError(command ? `Unknown command ${command}.` : "Name a command.");
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === "--help" || command === "-h" || command === "help") {
  console.log(usage);
  process.exit(0);
}
let args: CliArgs;
try {
  // Argument errors are reported before the database is opened.
  if (!command || !["clients:add", "clients:list", "clients:revoke", "audit:verify", "data-keys:new", "data:reencrypt"].includes(command)) throw new UsageError(command ? `Unknown command ${command}.` : "Name a command.");
  args = parseArgs({ args: rest, allowPositionals: true, options: cliOptions });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n\n${usage}`);
  process.exit(2);
}
if (command === "data-keys:new") {
  // No database: the key lives outside it.
  const entry = generateDataKeyEntry();
  if (environment().LANTERN_DATA_KEYS) {
    console.log(`${entry}\n\nPut this first in LANTERN_DATA_KEYS, keep the older keys after it, restart every server, then run: npm run admin -- data:reencrypt`);
  } else {
    const file = dataKeysFile();
    let existing = "";
    try {
      existing = readFileSync(file, "utf8");
    } catch {
      // No file yet: the new key is the first.
    }
    writeFileSync(file, `${entry}\n${existing}`, { mode: 0o600 });
    console.log(`Added the data key ${entry.split("=")[0]} first in ${file}. Restart the server, then run: npm run admin -- data:reencrypt`);
  }
  process.exit(0);
}
let exitCode = 0;
const handle = openConfiguredDatabase();
try {
  await handle.migrate();
  installDatabaseHandle(handle);
  exitCode = await run(command, args);
} catch (error) {
  exitCode = 1;
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${usage}`);
    exitCode = 2;
  } else if (isAppError(error)) {
    console.error(error.message);
    for (const [field, messages] of Object.entries(error.fieldErrors)) console.error(`  ${field}: ${messages.join(" ")}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
} finally {
  await handle.close();
}
process.exit(exitCode);
