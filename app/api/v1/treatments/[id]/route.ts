import { methodNotAllowed, uploaderApi } from "@/lib/http/api";
import { deleteTreatment } from "@/lib/uploader/treatments-store";

/** DELETE /api/v1/treatments/{_id}: Loop and xDrip+ delete a treatment by the `_id` they were answered. */
export const DELETE = uploaderApi(async ({ caller, params }) => ({ acknowledged: true, ...(await deleteTreatment(caller, params.id!)) }));

const notAllowed = methodNotAllowed("DELETE");
export { notAllowed as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH };
