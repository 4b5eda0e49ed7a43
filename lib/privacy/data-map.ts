import type { PurposeId } from "./purposes";
import type { RetentionRule } from "./retention-rules";

/**
 * THE data map (GDPR Art 30 record of processing, PRIVACY-SECURITY.md D3): every table and every
 * column of the schema, with its data category, purpose, lawful basis, retention and recipients.
 * data-map.test.ts fails when db/schema gains a table or a column this map does not name, so the
 * record cannot drift from the code. The admin page /admin/record-of-processing renders it.
 */

export const dataCategories = {
  "direct-identifier": "Direct identifier (name, date of birth, record number, email)",
  health: "Health data (special category, Art 9)",
  "free-text": "Free text typed by people: may hold health data or names",
  device: "Device and app identifiers (model, serial number, firmware)",
  relationship: "Who acts for whom (guardians)",
  "internal-identifier": "Lantern's own random ids (pseudonymous keys)",
  credential: "Credential or secret: stored hashed where it is verified, encrypted where it is sent",
  "network-identifier": "IP address of a request",
  account: "Account data (role, sign-in state)",
  consent: "Consent decisions",
  "privacy-request": "Data subject requests",
  audit: "Audit trail",
  configuration: "Configuration of the organization",
  organization: "The organization",
  technical: "Technical state of a job or queue",
} as const;
export type DataCategory = keyof typeof dataCategories;

/** What data is processed for, beyond the declared patient purposes. */
export const operationalPurposes = {
  security: "Security of processing (Art 32): authentication, replay protection, session revocation",
  administration: "Running the service for the organization: accounts, care teams, integrations",
  accountability: "Accountability (Art 5(2)): who did what to which record",
  "privacy-rights": "Recording consent and answering data subjects' requests",
} as const;
export type ProcessingPurpose = PurposeId | keyof typeof operationalPurposes;

export interface TableEntry {
  description: string;
  purpose: ProcessingPurpose;
  lawfulBasis: string;
  retention: RetentionRule;
  recipients: readonly string[];
  columns: Readonly<Record<string, DataCategory>>;
  /** Columns encrypted at rest (AES-256-GCM, key outside the database; lib/security/sealed-columns.ts). */
  encryptedAtRest?: readonly string[];
}

export const dataMap: Readonly<Record<string, TableEntry>> = {
  access_reviews: {
    description: "The privacy officer's review of access-granting actions and break-glass accesses",
    purpose: "accountability",
    lawfulBasis: "Art 6(1)(c) (accountability, Art 5(2); separation of duties)",
    retention: "audit-trail",
    recipients: ["privacy officers"],
    columns: { audit_seq: "audit", reviewed_by_user_id: "internal-identifier", reviewed_at: "audit" },
  },
  break_glass_grants: {
    description: "A clinician's time-boxed emergency read access to one patient outside their care teams, with the reason",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(d) or 6(1)(e) with Art 9(2)(c) or 9(2)(h) (vital interests, health care)",
    retention: "break-glass",
    recipients: ["privacy officers", "the patient and guardians (access log)"],
    columns: { id: "internal-identifier", clinician_user_id: "internal-identifier", patient_id: "internal-identifier", reason: "free-text", started_at: "audit", expires_at: "audit" },
  },
  care_team_tasks: {
    description: "Work for a patient's care team created by a job: proxy reviews at the child's configured birthdays",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", kind: "relationship", age_years: "relationship", due_on: "relationship", created_at: "relationship", completed_at: "relationship", completed_by_user_id: "internal-identifier" },
  },
  competence_assessments: {
    description: "A clinician's assessment that a young person is (or is not) competent to decide who sees their record",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "the patient"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", assessed_by_user_id: "internal-identifier", competent: "relationship", note: "free-text", assessed_at: "relationship" },
  },
  glucose_daily_aggregates: {
    description: "Per-day summaries of a patient's readings (counts by range, sums), for the triage list",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "derived",
    recipients: ["care team"],
    columns: { patient_id: "internal-identifier", specimen: "health", local_date: "health", readings: "health", very_low: "health", low: "health", in_range: "health", high: "health", very_high: "health", sum_mgdl: "health", sum_squares_mgdl: "health", min_mgdl: "health", max_mgdl: "health" },
  },
  account_tokens: {
    description: "Emailed one-time links to reset a password or confirm a new account's email",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "account-link",
    recipients: [],
    columns: { id: "internal-identifier", user_id: "internal-identifier", purpose: "account", token_hash: "credential", expires_at: "account", used_at: "account", created_at: "account" },
  },
  invitations: {
    description: "One-time links by which invited staff, guardians and patients choose their own password",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization) and 6(1)(c) (security, Art 32)",
    retention: "invitation",
    recipients: [],
    columns: { id: "internal-identifier", user_id: "internal-identifier", token_hash: "credential", invited_by_user_id: "internal-identifier", expires_at: "account", used_at: "account", created_at: "account" },
  },
  mfa_recovery_codes: {
    description: "Single-use recovery codes of a user's two-step sign-in, stored as their SHA-256",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "account",
    recipients: [],
    columns: { id: "internal-identifier", user_id: "internal-identifier", code_hash: "credential", created_at: "credential", used_at: "credential" },
  },
  rate_limits: {
    description: "Counters of recent requests and failed sign-ins per client address, account or credential",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "rate-limit-window",
    recipients: [],
    columns: { key: "network-identifier", window_start: "technical", window_end: "technical", hits: "technical" },
  },
  alerts: {
    description: "Glucose alerts (episodes) raised from readings and how staff handled them",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "notification channels configured by the organization"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", kind: "health", severity: "health", specimen: "health", started_at: "health", ended_at: "health", worst_mgdl: "health", worst_censored: "health", worst_at: "health", last_beyond_at: "health", readings_beyond: "health", duration_minutes: "health", targets: "health", historical: "health", status: "health", acknowledged_by_user_id: "internal-identifier", acknowledged_at: "health", acknowledgement_note: "free-text", resolved_by_user_id: "internal-identifier", resolved_at: "health", escalated_at: "health", merged_into_id: "internal-identifier", withdrawn_at: "health", created_at: "health", updated_at: "health" },
  },
  audit_events: {
    description: "The append-only, hash-chained audit trail of access and changes",
    purpose: "accountability",
    lawfulBasis: "Art 6(1)(c) (accountability, Art 5(2) and 30; HIPAA 164.312(b))",
    retention: "audit-trail",
    recipients: ["admins and privacy officers of the organization"],
    columns: { seq: "internal-identifier", occurred_at: "audit", actor_kind: "audit", actor_id: "internal-identifier", actor_role: "audit", organization_id: "internal-identifier", patient_ids: "internal-identifier", action: "audit", resource_type: "audit", resource_id: "internal-identifier", purpose: "audit", outcome: "audit", source_address: "network-identifier", request_id: "internal-identifier", prev_hash: "audit", hash: "audit" },
  },
  backend_access_tokens: {
    description: "Short-lived SMART access tokens, stored as hashes",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "access-token",
    recipients: [],
    columns: { token_hash: "credential", client_id: "internal-identifier", scopes: "credential", expires_at: "credential", created_at: "credential" },
  },
  backend_clients: {
    description: "Hospital systems registered to call the FHIR API",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "configuration",
    recipients: ["admins"],
    columns: { id: "internal-identifier", organization_id: "internal-identifier", name: "configuration", jwks: "credential", jwks_url: "configuration", allowed_scopes: "configuration", created_by_user_id: "internal-identifier", created_at: "configuration", revoked_at: "configuration" },
  },
  bulk_export_files: {
    description: "NDJSON files of a Bulk Data export",
    purpose: "hospital-sharing",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "bulk-export",
    recipients: ["the hospital system that asked"],
    columns: { id: "internal-identifier", job_id: "internal-identifier", resource_type: "health", sequence: "health", resource_count: "health", ndjson: "health" },
  },
  bulk_export_jobs: {
    description: "Bulk Data export requests and their state",
    purpose: "hospital-sharing",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "bulk-export",
    recipients: ["the hospital system that asked"],
    columns: { id: "internal-identifier", client_id: "internal-identifier", organization_id: "internal-identifier", care_team_id: "internal-identifier", request_url: "technical", resource_types: "technical", since: "technical", status: "technical", progress: "technical", error: "technical", transaction_time: "technical", completed_at: "technical", lease_holder: "technical", lease_expires_at: "technical" },
  },
  care_team_members: {
    description: "Clinicians on each care team",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "configuration",
    recipients: ["admins", "clinicians"],
    columns: { care_team_id: "internal-identifier", clinician_user_id: "internal-identifier", created_at: "configuration" },
  },
  care_team_patients: {
    description: "Patients under each care team",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "admins"],
    columns: { care_team_id: "internal-identifier", patient_id: "internal-identifier", created_at: "health" },
  },
  care_teams: {
    description: "Care teams of the organization",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "configuration",
    recipients: ["admins", "clinicians"],
    columns: { id: "internal-identifier", organization_id: "internal-identifier", name: "configuration", created_at: "configuration" },
  },
  client_assertion_ids: {
    description: "Ids of SMART client assertions seen, against replay",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "assertion-id",
    recipients: [],
    columns: { client_id: "internal-identifier", jti: "credential", expires_at: "credential" },
  },
  consent_records: {
    description: "Every consent decision per purpose",
    purpose: "privacy-rights",
    lawfulBasis: "Art 6(1)(c) (demonstrating consent, Art 7(1))",
    retention: "consent-record",
    recipients: ["the patient and guardians", "care team", "hospital systems (as FHIR Consent) where offered"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", purpose: "consent", decision: "consent", policy_version: "consent", method: "consent", decided_by_user_id: "internal-identifier", decided_as: "consent", decided_at: "consent", superseded_at: "consent" },
  },
  device_statuses: {
    description: "Uploader apps' reports of phone, pump and loop",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "organization's hospital systems (FHIR API, Bulk Data, pushes) unless the patient objects"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", identifier: "health", app: "health", reported_at: "health", utc_offset_minutes: "health", uploader_battery: "health", uploader_charging: "health", pump: "health", loop: "health", srv_created: "health", srv_modified: "health" },
  },
  devices: {
    description: "Meters and CGMs registered to a patient",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "organization's hospital systems (FHIR API, Bulk Data, pushes) unless the patient objects"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", kind: "device", model: "device", serial_number: "device", firmware_version: "device", battery_percent: "device", last_contact_at: "device", clock_problem: "device", clock_problem_at: "device", token_hash: "credential", token_issued_at: "device", pairing_code_hash: "credential", pairing_code_expires_at: "device", registered_by_user_id: "internal-identifier", revoked_at: "device", created_at: "device" },
  },
  glucose_reading_versions: {
    description: "Earlier versions of corrected readings (rectification keeps history)",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team"],
    columns: { reading_id: "internal-identifier", version: "health", value_as_received: "health", unit: "health", value_mgdl: "health", effective_at: "health", utc_offset_minutes: "health", meal_context: "health", note: "free-text", recorded_by_user_id: "internal-identifier", recorded_at: "health", superseded_by_user_id: "internal-identifier", superseded_at: "health" },
  },
  glucose_readings: {
    description: "Glucose readings",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "organization's hospital systems (FHIR API, Bulk Data, pushes) unless the patient objects"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", value_as_received: "health", unit: "health", value_mgdl: "health", censored: "health", effective_at: "health", utc_offset_minutes: "health", specimen: "health", source: "health", meal_context: "health", note: "free-text", device_id: "internal-identifier", origin: "health", duplicate_of_id: "internal-identifier", trend: "health", noise: "health", dedupe_key: "health", entered_by_user_id: "internal-identifier", version: "health", corrected_by_user_id: "internal-identifier", created_at: "health", updated_at: "health" },
  },
  guardian_links: {
    description: "Guardians (proxies) acting for a patient",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "the guardian"],
    columns: { guardian_user_id: "internal-identifier", patient_id: "internal-identifier", created_at: "relationship", confirmed_by_user_id: "internal-identifier", confirmed_at: "relationship", renewed_until: "relationship", limited_by_patient_until: "relationship", ended_by_patient_at: "relationship" },
  },
  hospital_endpoints: {
    description: "Hospital FHIR servers that receive pushes",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "configuration",
    recipients: ["admins"],
    columns: { id: "internal-identifier", organization_id: "internal-identifier", name: "configuration", base_url: "configuration", bearer_token: "credential", enabled: "configuration", created_at: "configuration" },
    encryptedAtRest: ["bearer_token"],
  },
  nightscout_access_tokens: {
    description: "Nightscout API access tokens of a patient's apps",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "configuration",
    recipients: ["the patient and guardians"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", name: "credential", access: "credential", token_hash: "credential", created_by_user_id: "internal-identifier", created_at: "credential", last_used_at: "credential", revoked_at: "credential" },
  },
  notification_channels: {
    description: "The organization's alert webhooks and email addresses",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "configuration",
    recipients: ["admins"],
    columns: { id: "internal-identifier", organization_id: "internal-identifier", kind: "configuration", name: "configuration", target: "configuration", signing_secret: "credential", enabled: "configuration", created_at: "configuration" },
    encryptedAtRest: ["signing_secret"],
  },
  notification_outbox: {
    description: "Alert notifications waiting to be sent",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "push-queue",
    recipients: ["notification channels"],
    columns: { id: "internal-identifier", alert_id: "internal-identifier", channel_id: "internal-identifier", recipient_user_id: "internal-identifier", reason: "technical", status: "technical", attempts: "technical", next_attempt_at: "technical", last_error: "technical", created_at: "technical", delivered_at: "technical" },
  },
  organizations: {
    description: "The organization (controller) itself",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "configuration",
    recipients: ["everyone in it"],
    columns: { id: "internal-identifier", name: "organization", open_for_self_registration: "organization", created_at: "organization" },
  },
  patient_feeds: {
    description: "Latest reading per feed, for staleness and lists",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "derived",
    recipients: ["care team"],
    columns: { patient_id: "internal-identifier", specimen: "health", first_reading_at: "health", last_reading_at: "health", last_value_mgdl: "health", last_censored: "health" },
  },
  patient_targets: {
    description: "Glucose targets set for a patient",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team"],
    columns: { patient_id: "internal-identifier", preset: "health", hypo_level_1: "health", hypo_level_2: "health", hyper_level_1: "health", hyper_level_2: "health", cgm_interval_minutes: "health", reason: "health", set_by_user_id: "internal-identifier", set_at: "health" },
  },
  patients: {
    description: "Patient demographics",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team", "organization's hospital systems (FHIR API, Bulk Data, pushes) unless the patient objects"],
    columns: { id: "internal-identifier", organization_id: "internal-identifier", user_id: "internal-identifier", given_name: "direct-identifier", family_name: "direct-identifier", birth_date: "direct-identifier", timezone: "direct-identifier", preferred_unit: "direct-identifier", medical_record_number: "direct-identifier", medical_record_number_index: "direct-identifier", created_at: "direct-identifier" },
    encryptedAtRest: ["medical_record_number"],
  },
  privacy_requests: {
    description: "Restriction and erasure requests and their answers",
    purpose: "privacy-rights",
    lawfulBasis: "Art 6(1)(c) (data subjects' rights, Art 12-22)",
    retention: "privacy-request",
    recipients: ["admins", "the patient and guardians"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", organization_id: "internal-identifier", kind: "privacy-request", details: "free-text", requested_by_user_id: "internal-identifier", requested_as: "privacy-request", requested_at: "privacy-request", due_at: "privacy-request", status: "privacy-request", response: "free-text", care_records_exemption: "privacy-request", resolved_by_user_id: "internal-identifier", resolved_at: "privacy-request" },
  },
  push_outbox: {
    description: "Readings and alerts waiting to be pushed to hospital systems",
    purpose: "hospital-sharing",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "push-queue",
    recipients: ["the organization's hospital endpoints"],
    columns: { id: "internal-identifier", endpoint_id: "internal-identifier", patient_id: "internal-identifier", reading_ids: "technical", alert_ids: "technical", status: "technical", attempts: "technical", next_attempt_at: "technical", last_error: "technical", created_at: "technical", delivered_at: "technical" },
  },
  totp_credentials: {
    // secret_ciphertext and pending_secret_ciphertext must stay readable to Lantern to check codes
    // (they cannot be hashed): sealed with AES-256-GCM under a key derived from AUTH_SECRET
    // (lib/auth/mfa/secret-box.ts). ENCRYPTION AT REST: candidates for the column-encryption layer.
    description: "A user's authenticator app for two-step sign-in (TOTP): its shared secret, sealed, and the last time step used",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "account",
    recipients: [],
    columns: { user_id: "internal-identifier", secret_ciphertext: "credential", confirmed_at: "credential", last_used_step: "credential", pending_secret_ciphertext: "credential", pending_since: "credential" },
  },
  treatments: {
    description: "Carbohydrates, insulin and events recorded by uploader apps",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["care team"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", identifier: "health", origin: "health", app: "health", event_type: "health", occurred_at: "health", utc_offset_minutes: "health", carbs_grams: "health", insulin_units: "health", insulin_kind: "health", duration_minutes: "health", basal_rate: "health", notes: "free-text", entered_by: "health", is_valid: "health", srv_created: "health", srv_modified: "health" },
  },
  upload_problems: {
    description: "Uploads that were refused, for troubleshooting",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "derived",
    recipients: ["the patient and guardians", "care team"],
    columns: { id: "internal-identifier", patient_id: "internal-identifier", app: "technical", reason: "technical", first_seen_at: "technical", last_seen_at: "technical", count: "technical" },
  },
  uploader_credentials: {
    description: "The hash of a patient's Nightscout API secret",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "configuration",
    recipients: [],
    columns: { patient_id: "internal-identifier", api_secret_hash: "credential", created_by_user_id: "internal-identifier", last_used_at: "credential", created_at: "credential" },
  },
  uploader_origins: {
    description: "Which uploader app sends a patient's data",
    purpose: "direct-care",
    lawfulBasis: "Art 6(1)(e) or 6(1)(b) with Art 9(2)(h) (health care)",
    retention: "care-record",
    recipients: ["the patient and guardians"],
    columns: { patient_id: "internal-identifier", origin: "device", device: "device" },
  },
  user_sessions: {
    description: "Open sign-in sessions: the request is signed in only while its row exists",
    purpose: "security",
    lawfulBasis: "Art 6(1)(c) and 6(1)(f) (security of processing, Art 32)",
    retention: "session",
    recipients: [],
    columns: { id: "credential", user_id: "internal-identifier", started_at: "account", last_seen_at: "account", expires_at: "account" },
  },
  users: {
    description: "Accounts of patients, guardians and staff",
    purpose: "administration",
    lawfulBasis: "Art 6(1)(f) (running the service for the organization)",
    retention: "account",
    recipients: ["admins (staff accounts)"],
    columns: { id: "internal-identifier", organization_id: "internal-identifier", email: "direct-identifier", display_name: "direct-identifier", role: "account", password_hash: "credential", failed_sign_in_count: "account", last_failed_sign_in_at: "account", last_sign_in_at: "account", disabled_at: "account", email_verification_pending_since: "account", preferred_unit: "account", created_at: "account" },
  },
};

/**
 * Processors acting for the organization (Art 28) and where data may go. Hospital systems are
 * recipients named per table; outbound destinations must match LANTERN_OUTBOUND_ALLOWLIST.
 */
export const processors = [
  { name: "The hosting provider running Lantern and its PostgreSQL database", role: "Stores and processes all data above", region: "Where the deployment runs (the organization's choice)" },
  { name: "The email provider behind LANTERN_SMTP_URL", role: "Delivers invitations, password links and alert emails (no readings)", region: "The provider's region, set by the organization" },
] as const;
