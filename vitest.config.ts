import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const integration = (driver: "pglite" | "postgres") => ({
  extends: true as const,
  test: {
    name: `integration:${driver}`,
    include: ["{lib,db}/**/*.int.test.ts"],
    // A fixed signing secret (Nightscout JWTs): with DATABASE_URL the server requires one, and
    // without it the embedded mode would write one into the developer's .data folder.
    // Likewise a fixed data key (encryption at rest), rather than a generated .data/data-keys.
    env: {
      LANTERN_TEST_DATABASE: driver,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "integration-tests-only-secret-0123456789abcdef",
      // The second key is the one lib/privacy/encryption-at-rest.int.test.ts rotates to (and back).
      LANTERN_DATA_KEYS: "integration-tests=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=,integration-rotated=CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=",
    },
    globalSetup: driver === "postgres" ? ["test/postgres-global-setup.ts"] : [],
    setupFiles: ["test/database-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // `server-only` throws outside React Server Components; the data layer is tested directly.
      { find: /^server-only$/, replacement: path.join(root, "test/server-only-stub.ts") },
      // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses.
      { find: /^next\/server$/, replacement: "next/server.js" },
    ],
  },
  test: {
    // Route handlers import next-auth; inlining lets the alias above resolve its imports.
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      // Property tests run hundreds of cases: on two shared cores under load the default 5 s is too tight.
      { extends: true, test: { name: "unit", include: ["{lib,db,app,components,test}/**/*.test.ts"], exclude: ["**/*.int.test.ts", "test/faults/**"], testTimeout: 30_000 } },
      integration("pglite"),
      // Real PostgreSQL whenever DATABASE_URL names a server: a fresh database is created per run.
      ...(process.env.DATABASE_URL ? [integration("postgres")] : []),
    ],
  },
});
