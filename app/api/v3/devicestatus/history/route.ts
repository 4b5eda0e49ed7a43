import { deviceStatusHistoryV3 } from "@/lib/uploader/device-status-store";
import { historyOnlyRead, v3History } from "../../handlers";

export const GET = v3History(deviceStatusHistoryV3);
export { historyOnlyRead as POST, historyOnlyRead as PUT, historyOnlyRead as PATCH, historyOnlyRead as DELETE };
