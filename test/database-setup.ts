import { afterAll, inject } from "vitest";
import { openEmbedded, openPostgres, installDatabaseHandle } from "@/db/client";

// Each integration test file gets its own handle: an in-memory PGlite migrated from scratch, or
// a pool on the run's fresh PostgreSQL database. The data layer reaches it through getDb().
const driver = process.env.LANTERN_TEST_DATABASE;
const handle = driver === "postgres" ? openPostgres(inject("testDatabaseUrl")) : openEmbedded("memory://");
if (driver !== "postgres") await handle.migrate();
installDatabaseHandle(handle);

afterAll(async () => {
  await handle.close();
});
