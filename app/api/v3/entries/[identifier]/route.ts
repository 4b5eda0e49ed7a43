import { readEntryV3 } from "@/lib/uploader/entries-store";
import { readingsAreKept, v3Read } from "../../handlers";

export const GET = v3Read(readEntryV3);
export { readingsAreKept as POST, readingsAreKept as PUT, readingsAreKept as PATCH, readingsAreKept as DELETE };
