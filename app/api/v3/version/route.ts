import { publicNightscoutV3Api, v3Result } from "@/lib/http/nightscout-v3";
import { nightscoutVersion } from "@/lib/uploader/server-info";

/** GET /api/v3/version: public, as in Nightscout. */
export const GET = publicNightscoutV3Api(async () => v3Result(await nightscoutVersion()));
