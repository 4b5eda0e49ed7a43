import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { dataCategories, dataMap, operationalPurposes, processors } from "./data-map";
import { PURPOSES } from "./purposes";
import { retentionRules } from "./retention-rules";

/** The record of processing (GDPR Art 30) for the organization's admins: the data map with its legends. */
export function recordOfProcessing(actor: UserActor) {
  assertCan(actor, "processingRecord:read");
  return { purposes: PURPOSES, operationalPurposes, dataCategories, retentionRules, tables: Object.entries(dataMap), processors };
}
