import { methodNotAllowed } from "@/lib/http/api";
import { getEntrySpec } from "../handlers";

const notAllowed = methodNotAllowed("GET");

export { getEntrySpec as GET, notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
