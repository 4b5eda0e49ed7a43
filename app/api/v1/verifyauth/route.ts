import { optionalUploaderApi } from "@/lib/http/api";
import { verifyAuthAnswer } from "@/lib/uploader/verify-auth";

/** GET /api/v1/verifyauth: what the credential may do, 200 whatever it is (as Nightscout answers). */
export const GET = optionalUploaderApi(async ({ caller }) => verifyAuthAnswer(caller));
