import { createEntryV3, searchEntriesV3 } from "@/lib/uploader/entries-store";
import { collectionOnlySearchedAndCreated, v3Create, v3Search } from "../handlers";

export const GET = v3Search("entries", searchEntriesV3);
export const POST = v3Create("/api/v3/entries", createEntryV3);
export { collectionOnlySearchedAndCreated as PUT, collectionOnlySearchedAndCreated as PATCH, collectionOnlySearchedAndCreated as DELETE };
