import { getEntries, postEntries } from "./handlers";

export const POST = postEntries;
export const GET = getEntries();
