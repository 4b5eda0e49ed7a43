import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const integration = (driver: "pglite" | "postgres") => ({
  extends: true as const,
  test: {
    name: `integration:${driver}`,
    include: ["{lib,db}/**/*.int.test.ts"],
    env: { LANTERN_TEST_DATABASE: driver },
    globalSetup: driver === "postgres" ? ["test/postgres-global-setup.ts"] : [],
    setupFiles: ["test/database-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside React Server Components; the data layer is tested directly.
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
  test: {
    projects: [
      { extends: true, test: { name: "unit", include: ["{lib,db,app,components}/**/*.test.ts"], exclude: ["**/*.int.test.ts"] } },
      integration("pglite"),
      // Real PostgreSQL whenever DATABASE_URL names a server: a fresh database is created per run.
      ...(process.env.DATABASE_URL ? [integration("postgres")] : []),
    ],
  },
});
