import { readDeviceStatusV3 } from "@/lib/uploader/device-status-store";
import { reportsAreKept, v3Read } from "../../handlers";

export const GET = v3Read(readDeviceStatusV3);
export { reportsAreKept as POST, reportsAreKept as PUT, reportsAreKept as PATCH, reportsAreKept as DELETE };
