import { entriesHistoryV3 } from "@/lib/uploader/entries-store";
import { historyOnlyRead, v3History } from "../../../handlers";

export const GET = v3History(entriesHistoryV3);
export { historyOnlyRead as POST, historyOnlyRead as PUT, historyOnlyRead as PATCH, historyOnlyRead as DELETE };
