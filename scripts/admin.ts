/**
 * npm run admin -- <command>: operator tasks from the server's shell, on the configured database
 * (DATABASE_URL, else the embedded one: stop the server first, it holds the embedded folder).
 *
 *   clients:add --org <organizationId> --name <name> (--jwks-file <path> | --jwks-url <url>) --scopes "system/Patient.rs system/Observation.rs"
 *   clients:list --org <organizationId>
 *   clients:revoke <clientId>
 *
 * The same checks and data-layer functions as the admin page (lib/fhir/smart/clients.ts).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { installDatabaseHandle, openConfiguredDatabase } from "@/db/client";
import { isAppError } from "@/lib/errors";
import {
  createBackendClientInOrganization,
  listBackendClientsInOrganization,
  revokeBackendClientInOrganization,
} from "@/lib/fhir/smart/clients";
import { ASSIGNABLE_SCOPES } from "@/lib/fhir/smart/scopes";

const usage = `Usage: npm run admin -- <command>

  clients:add --org <organizationId> --name <name> (--jwks-file <path> | --jwks-url <url>) --scopes "<scope> <scope>..."
      Registers a hospital system for the FHIR API (SMART Backend Services) and prints its client_id.
      Scopes: ${ASSIGNABLE_SCOPES.join(" ")}
  clients:list --org <organizationId>
  clients:revoke <clientId>
      Its access tokens stop working at their next use; it cannot get new ones.`;

class UsageError extends Error {}

const cliOptions = {
  org: { type: "string" },
  name: { type: "string" },
  "jwks-file": { type: "string" },
  "jwks-url": { type: "string" },
  scopes: { type: "string" },
} as const;
type CliArgs = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof cliOptions }>>;

function option(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`Missing --${name}.`);
  return value;
}

async function run(command: string | undefined, { values, positionals }: CliArgs): Promise<void> {
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
      const client = await createBackendClientInOrganization(option(values, "org"), { name: option(values, "name"), jwks, jwksUrl, scopes: option(values, "scopes") });
      console.log(`Registered "${client.name}".`);
      console.log(`client_id: ${client.clientId}`);
      console.log(`scopes:    ${client.allowedScopes.join(" ")}`);
      console.log("Token URL: <this server's origin>/fhir/auth/token (see docs/fhir.md)");
      return;
    }
    case "clients:list": {
      const clients = await listBackendClientsInOrganization(option(values, "org"));
      if (clients.length === 0) console.log("No backend clients in this organization.");
      for (const client of clients) {
        const status = client.revokedAt ? `revoked ${client.revokedAt.toISOString()}` : "active";
        const keys = client.jwksUrl ? `jwks_url ${client.jwksUrl}` : `kid ${client.keyIds?.join(",")}`;
        console.log(`${client.clientId}  ${status.padEnd(32)} ${client.name}  [${client.allowedScopes.join(" ")}]  ${keys}`);
      }
      return;
    }
    case "clients:revoke": {
      const clientId = positionals[0];
      if (!clientId) throw new UsageError("Name the client: clients:revoke <clientId>.");
      const revoked = await revokeBackendClientInOrganization(null, clientId);
      console.log(`Revoked "${revoked.name}" (${revoked.clientId}) at ${revoked.revokedAt.toISOString()}.`);
      return;
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
  if (!command || !["clients:add", "clients:list", "clients:revoke"].includes(command)) throw new UsageError(command ? `Unknown command ${command}.` : "Name a command.");
  args = parseArgs({ args: rest, allowPositionals: true, options: cliOptions });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n\n${usage}`);
  process.exit(2);
}
let exitCode = 0;
const handle = openConfiguredDatabase();
try {
  await handle.migrate();
  installDatabaseHandle(handle);
  await run(command, args);
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
