import { treatmentsHistoryV3 } from "@/lib/uploader/treatments-store";
import { historyOnlyRead, v3History } from "../../handlers";

export const GET = v3History(treatmentsHistoryV3);
export { historyOnlyRead as POST, historyOnlyRead as PUT, historyOnlyRead as PATCH, historyOnlyRead as DELETE };
