import { nightscoutV3Api, v3NotFound, v3Result } from "@/lib/http/nightscout-v3";
import { isUnstoredCollection, UNSTORED_COLLECTION } from "@/lib/uploader/v3-outcomes";

/**
 * Nightscout's other collections. Food, profiles and settings are not kept: reading them finds
 * nothing (AndroidAPS stops its whole sync when a read fails), writing them is refused.
 */
export const GET = nightscoutV3Api(async ({ params }) => (isUnstoredCollection(params.collection!) ? v3Result([]) : v3NotFound()));

const refused = nightscoutV3Api(async ({ params }) => v3NotFound(isUnstoredCollection(params.collection!) ? UNSTORED_COLLECTION : undefined));
export { refused as POST, refused as PUT, refused as PATCH, refused as DELETE };
