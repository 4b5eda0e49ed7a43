import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * A hospital system registered by an admin to call the FHIR API with SMART Backend Services
 * (client_credentials + private_key_jwt). Its id is the OAuth client_id. It sees only its
 * organization's patients; revoking it takes effect at its next call.
 */
export const backendClients = pgTable(
  "backend_clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    // Exactly one of the two: the public keys themselves, or where to fetch them.
    jwks: jsonb("jwks"),
    jwksUrl: text("jwks_url"),
    // SMART v2 scopes the admin allowed, e.g. system/Observation.rs.
    allowedScopes: text("allowed_scopes").array().notNull(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [index("backend_clients_org_idx").on(table.organizationId)],
);

/** Client assertion ids seen until they expire: a replayed assertion is refused. */
export const clientAssertionIds = pgTable(
  "client_assertion_ids",
  {
    clientId: uuid("client_id")
      .notNull()
      .references(() => backendClients.id),
    jti: text("jti").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.clientId, table.jti] })],
);

/** Short-lived access tokens, stored only as their SHA-256. */
export const backendAccessTokens = pgTable(
  "backend_access_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => backendClients.id),
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("backend_access_tokens_client_idx").on(table.clientId)],
);
