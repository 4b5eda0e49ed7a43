import { v3MethodNotAllowed } from "@/lib/http/nightscout-v3";
import { deleteTreatment, patchTreatmentV3, readTreatmentV3 } from "@/lib/uploader/treatments-store";
import { v3Delete, v3Patch, v3Read } from "../../handlers";

export const GET = v3Read(readTreatmentV3);
export const PATCH = v3Patch(patchTreatmentV3);
export const DELETE = v3Delete(deleteTreatment);

const notAllowed = v3MethodNotAllowed("A treatment is read (GET), changed (PATCH) or deleted (DELETE); create one with POST /api/v3/treatments.");
export { notAllowed as POST, notAllowed as PUT };
