import { nightscoutV3Api, v3Result } from "@/lib/http/nightscout-v3";
import { lastModifiedV3 } from "@/lib/uploader/server-info";

/** GET /api/v3/lastModified: when each collection last changed, which AndroidAPS polls before loading. */
export const GET = nightscoutV3Api(async ({ caller }) => v3Result(await lastModifiedV3(caller)));
