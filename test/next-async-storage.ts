import { AsyncLocalStorage } from "node:async_hooks";

// Next.js's server installs this global before loading its request storage; tests that run pages
// and actions in a request scope (test/next-request.ts) load this module first to do the same.
(globalThis as { AsyncLocalStorage?: typeof AsyncLocalStorage }).AsyncLocalStorage ??= AsyncLocalStorage;
