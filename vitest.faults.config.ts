import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

/**
 * The fault tests (test/faults): production servers started as child processes on real
 * PostgreSQL, killed, restarted, cut off from the database or from the systems they deliver to.
 * They need `next build` output and DATABASE_URL, so `npm run test:e2e` runs them after the build;
 * without either they are skipped with a sentence saying which. One file at a time: each starts
 * servers of its own on two shared cores.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      { find: /^server-only$/, replacement: path.join(root, "test/server-only-stub.ts") },
    ],
  },
  test: {
    name: "faults",
    // The servers the tests start inherit this key, so what a test seals (a webhook's signing
    // secret) the server opens; no generated .data/data-keys.
    env: { LANTERN_DATA_KEYS: "fault-tests=BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=" },
    include: ["test/faults/**/*.faults.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
