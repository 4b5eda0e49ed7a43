import { getEntries } from "../handlers";

export const GET = getEntries("sgv");
