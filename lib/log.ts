/**
 * The one place unexpected errors are logged. Nothing a request carried may reach the log
 * (PRIVACY-SECURITY.md D2): database errors are logged by their SQLSTATE and constraint only
 * (drizzle puts the query and its parameters in the message, and PostgreSQL messages quote
 * values), other errors by their name and stack frames without the message line.
 */
interface DatabaseErrorFields {
  code?: unknown;
  constraint_name?: unknown;
  constraint?: unknown;
  table_name?: unknown;
  table?: unknown;
  routine?: unknown;
}

/** The PostgreSQL error inside a driver or drizzle error, if any. */
export function databaseErrorOf(error: unknown): DatabaseErrorFields | null {
  for (let current: unknown = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    const code = (current as DatabaseErrorFields).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return current as DatabaseErrorFields;
  }
  return null;
}

export function describeForLog(error: unknown): string {
  const database = databaseErrorOf(error);
  if (database) {
    const constraint = database.constraint_name ?? database.constraint;
    const table = database.table_name ?? database.table;
    return `database error SQLSTATE ${String(database.code)}${table ? ` on ${String(table)}` : ""}${constraint ? ` (${String(constraint)})` : ""}${database.routine ? ` in ${String(database.routine)}` : ""}`;
  }
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const frames = (error.stack ?? "").split("\n").filter((line) => line.trimStart().startsWith("at ")).slice(0, 8);
  return [error.name, ...frames].join("\n");
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * One log line as a JSON object: level, time, msg and the given fields (ids and codes only, never
 * what a request carried). server.mjs adds the request's id and route to every line printed while
 * a request is handled, and prints whatever else reaches the console as JSON too.
 */
export function logLine(level: LogLevel, msg: string, fields: Record<string, string | number | boolean | null> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export function logUnexpected(door: string, requestId: string | null, error: unknown): void {
  logLine("error", `unexpected ${describeForLog(error)}`, { door, ...(requestId ? { requestId } : {}) });
}
