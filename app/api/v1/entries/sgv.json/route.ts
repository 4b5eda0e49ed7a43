import { getEntries } from "../handlers";

export const GET = (request: Request) => getEntries(request, "sgv");
