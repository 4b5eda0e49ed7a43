import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { environment } from "@/lib/config";
import { dataCategories, dataMap, operationalPurposes, processors } from "./data-map";
import { PURPOSES } from "./purposes";
import { retentionRules } from "./retention-rules";

/** The record of processing (GDPR Art 30) for the organization's admins: the data map with its legends, and where data may go. */
export function recordOfProcessing(actor: UserActor) {
  assertCan(actor, "processingRecord:read");
  return { purposes: PURPOSES, operationalPurposes, dataCategories, retentionRules, tables: Object.entries(dataMap), processors, outboundAllowlist: environment().LANTERN_OUTBOUND_ALLOWLIST };
}
