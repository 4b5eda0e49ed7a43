import { uploaderApi } from "@/lib/http/api";
import { confirmUploadAccess } from "@/lib/uploader/credentials";

/** GET /api/v1/experiments/test: Loop and xDrip4iOS check the API secret here; 200 only for a credential that may upload. */
export const GET = uploaderApi(async ({ caller }) => confirmUploadAccess(caller));
