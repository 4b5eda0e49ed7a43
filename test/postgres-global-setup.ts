import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openPostgres } from "@/db/client";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseUrl: string;
  }
}

/**
 * Creates a fresh database on the server DATABASE_URL names, migrates it once for the whole run,
 * and drops it afterwards. Test files never assume an empty database: each builds its own world.
 */
export default async function setup(project: TestProject) {
  const serverUrl = new URL(process.env.DATABASE_URL!);
  const name = `lantern_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const testUrl = new URL(serverUrl);
  testUrl.pathname = `/${name}`;
  const handle = openPostgres(testUrl.toString());
  await handle.migrate();
  await handle.close();
  project.provide("testDatabaseUrl", testUrl.toString());

  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
