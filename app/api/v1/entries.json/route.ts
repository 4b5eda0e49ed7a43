import { getEntries, postEntries } from "../entries/handlers";

export const POST = postEntries;
export const GET = getEntries();
