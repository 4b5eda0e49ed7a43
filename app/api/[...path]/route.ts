import { AppError } from "@/lib/errors";
import { publicApi } from "@/lib/http/api";

/** Every path under /api answers JSON: one no route serves is a JSON 404, whatever the method. */
const unknownPath = publicApi(async ({ request }) => {
  throw new AppError("not_found", `${new URL(request.url).pathname} is not an API endpoint of this server; see docs/device-api.md and docs/nightscout-uploader.md.`);
});

export { unknownPath as GET, unknownPath as POST, unknownPath as PUT, unknownPath as PATCH, unknownPath as DELETE };
