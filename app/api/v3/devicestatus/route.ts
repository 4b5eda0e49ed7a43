import { createDeviceStatusV3, searchDeviceStatusesV3 } from "@/lib/uploader/device-status-store";
import { collectionOnlySearchedAndCreated, v3Create, v3Search } from "../handlers";

export const GET = v3Search("devicestatus", searchDeviceStatusesV3);
export const POST = v3Create("/api/v3/devicestatus", createDeviceStatusV3);
export { collectionOnlySearchedAndCreated as PUT, collectionOnlySearchedAndCreated as PATCH, collectionOnlySearchedAndCreated as DELETE };
