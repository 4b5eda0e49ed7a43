import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

/**
 * The layers, bottom up (docs/architecture.md): db -> lib kernel -> lib platform (access, audit) ->
 * lib domains -> lib/http (the doors) -> app. An import may only run down. Each zone below forbids
 * one upward direction; tests are exempt (they assemble worlds from every layer).
 */
const kernel = ["config.ts", "errors.ts", "ids.ts", "log.ts", "periodic.ts", "mail", "validation.ts", "form-state.ts", "db-errors.ts", "time", "security"];
const platform = ["access", "audit"];
const pureCores = ["metrics", "alerts"];
// Each domain and the domains it must never import (its callers).
const domainCallers = {
  patients: ["readings", "monitoring", "devices", "uploader", "imports", "fhir", "privacy", "admin", "auth", "demo"],
  monitoring: ["readings", "devices", "uploader", "imports", "fhir", "privacy", "admin", "auth", "demo"],
  readings: ["patients", "devices", "uploader", "imports", "fhir", "privacy", "admin", "auth", "demo"],
  devices: ["uploader", "imports", "fhir", "privacy", "admin", "auth", "demo"],
  uploader: ["imports", "fhir", "privacy", "admin", "auth", "demo"],
  imports: ["devices", "uploader", "fhir", "privacy", "admin", "auth", "demo"],
  fhir: ["uploader", "imports", "privacy", "admin", "auth", "demo"],
  // Consent, patients' rights, retention and the record of processing: above fhir (the export
  // renders FHIR resources), below the admin pages and the seed.
  privacy: ["uploader", "imports", "admin", "auth", "demo"],
  admin: ["imports", "uploader", "auth", "demo"],
  auth: ["patients", "readings", "devices", "uploader", "imports", "fhir", "privacy", "admin", "demo"],
  // Accounts, invitations, clinic registration and guardians: admin invites staff through it.
  people: ["readings", "monitoring", "devices", "uploader", "imports", "fhir", "admin", "auth", "demo", "oversight"],
  // Break-glass, the access log, the audit search and the privacy officer's review queue.
  oversight: ["readings", "monitoring", "devices", "uploader", "imports", "fhir", "admin", "auth", "demo", "people"],
};
const domains = [...Object.keys(domainCallers), "demo"];
const lib = (path) => `./lib/${path}`;

const zones = [
  // Routes, pages and components reach data only through lib.
  { target: ["./app", "./components"], from: "./db", message: "Routes and components reach data only through the data layer in lib/." },
  // The database layer knows nothing above it but the configuration.
  { target: "./db", from: "./lib", except: ["./config.ts"], message: "db/ must not import lib/ (except lib/config)." },
  { target: ["./db", "./lib"], from: ["./app", "./components", "./scripts", "./e2e"], message: "Imports run down: app -> lib -> db." },
  // The kernel is pure: it imports no domain, no platform, no database.
  { target: kernel.map(lib), from: [...platform, ...pureCores, ...domains, "http", "start-up.ts"].map(lib), message: "The lib kernel must not import from above it." },
  { target: kernel.map(lib), from: "./db", except: ["./schema/readings-enums.ts"], message: "The lib kernel must not touch the database." },
  // The platform (actor, permissions, visibility, audit) serves every domain and knows none.
  { target: platform.map(lib), from: [...pureCores, ...domains, "http", "start-up.ts"].map(lib), message: "lib/access and lib/audit must not import a domain." },
  // Clinical cores are pure functions: no data layer, no database.
  { target: pureCores.map(lib), from: [...platform, ...domains, "http", "start-up.ts"].map(lib), message: "lib/metrics and lib/alerts cores are pure." },
  ...Object.entries(domainCallers).map(([domain, callers]) => ({
    target: lib(domain),
    from: [...callers, "http", "start-up.ts"].map(lib),
    message: `lib/${domain} must not import the modules that call it.`,
  })),
  { target: lib("demo"), from: [lib("http"), lib("start-up.ts")], message: "The demo seed uses the data layer, not the doors." },
];

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "db/migrations/**"] },
  ...nextVitals,
  ...nextTypescript,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["**/*.test.ts", "test/**", "e2e/**", "scripts/**"],
    settings: { "import/resolver": { typescript: { project: "./tsconfig.json" } } },
    rules: { "import/no-restricted-paths": ["error", { zones, basePath: import.meta.dirname }] },
  },
  {
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*", "@/db/*"], message: "Routes and components reach data only through the data layer in lib/." }] },
      ],
    },
  },
);
