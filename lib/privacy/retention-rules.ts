/**
 * Retention per data category (GDPR Art 5(1)(e), PRIVACY-SECURITY.md C8), declared once. The data
 * map (./data-map.ts) names one for every table, and the retention job (./retention.ts) enforces
 * those that end by the clock. Care records are not purged by the clock: they are kept for the
 * organization's health-records retention period and then removed by its procedure. Pure.
 */

export const BULK_EXPORT_LIFETIME_HOURS = 24;

export const retentionRules = {
  "care-record": "Kept for the organization's health-records retention period (e.g. NHS Records Management Code: adults 8 years after the last care; children until their 25th birthday, or 26th if 17 when care ended). Not purged by the clock; erasure requests are answered with this exemption recorded.",
  "account": "While the account is active, then as the care record it belongs to.",
  "consent-record": "As long as the care record: it shows what was allowed when.",
  "privacy-request": "As long as the care record: it shows how a request was handled.",
  "audit-trail": "At least 6 years (HIPAA 164.316(b)(2)); append-only, never purged by Lantern.",
  "configuration": "Until an admin removes or revokes it.",
  "bulk-export": `${BULK_EXPORT_LIFETIME_HOURS} hours after the export finished (or began, if it never finished); purged by the retention job.`,
  "push-queue": "Until delivered; entries of patients who object to hospital sharing are dropped unsent.",
  "session": "Until the session ends: deleted at sign-out, sign-out everywhere, a password change or reset and an account disable; the retention job purges those that ended by the clock (idle or past their lifetime).",
  "account-link": "Until the link is used or expires; only its SHA-256 hash is stored; purged by the retention job.",
  "assertion-id": "Until the client assertion expires (at most 5 minutes); purged by the retention job.",
  "access-token": "Until the access token expires; purged by the retention job.",
  "pairing-code": "Until the pairing code expires; purged by the retention job (hash and expiry cleared).",
  "derived": "Recomputed from the care record; kept and removed with it.",
  "rate-limit-window": "One row per client address, account or credential: its current window, overwritten when the next window starts (not purged by the clock yet).",
  "invitation": "Until the link is used or expires; only its SHA-256 hash is stored (not purged by the clock yet).",
  "break-glass": "As long as the care record: it shows who read the record in an emergency, and why.",
} as const;
export type RetentionRule = keyof typeof retentionRules;
