import { nightscoutV3Api, v3Result } from "@/lib/http/nightscout-v3";
import { nightscoutStatusV3 } from "@/lib/uploader/server-info";

/** GET /api/v3/status: versions and the JWT's permissions per collection (AndroidAPS uploads only with "crud" on all). */
export const GET = nightscoutV3Api(async ({ caller }) => v3Result(await nightscoutStatusV3(caller)));
