/** The largest file accepted for import. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * A preview describes a file from its beginning: format, encoding, the first readings and
 * problems, and an estimate of the rest. Reading a whole 50 MB file to show a preview took over a
 * minute; the import itself reads everything and reports exact figures. The page sends only this
 * much for a preview, and the server reads no more.
 */
export const PREVIEW_BYTES = 1024 * 1024;
