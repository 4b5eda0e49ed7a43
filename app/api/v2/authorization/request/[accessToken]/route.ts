import { publicApi } from "@/lib/http/api";
import { requestAccessJwt } from "@/lib/uploader/access-tokens";

/** GET /api/v2/authorization/request/<access token>: a JWT for API v3 (AndroidAPS's NSClient v3, nightscout-connect). */
export const GET = publicApi(async ({ params, origin }) => requestAccessJwt(params.accessToken!, origin));
