import { getDeviceStatuses, notDeviceStatusMethod, postDeviceStatuses } from "./handlers";

export { getDeviceStatuses as GET, postDeviceStatuses as POST, notDeviceStatusMethod as PUT, notDeviceStatusMethod as PATCH, notDeviceStatusMethod as DELETE };
