import { getEntries, notEntryMethod, postEntries } from "../entries/handlers";

export { getEntries as GET, postEntries as POST, notEntryMethod as PUT, notEntryMethod as PATCH, notEntryMethod as DELETE };
