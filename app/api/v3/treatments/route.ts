import { createTreatmentV3, searchTreatmentsV3 } from "@/lib/uploader/treatments-store";
import { collectionOnlySearchedAndCreated, v3Create, v3Search } from "../handlers";

export const GET = v3Search("treatments", searchTreatmentsV3);
export const POST = v3Create("/api/v3/treatments", createTreatmentV3);
export { collectionOnlySearchedAndCreated as PUT, collectionOnlySearchedAndCreated as PATCH, collectionOnlySearchedAndCreated as DELETE };
