/**
 * Lantern's production server: Next.js behind a plain Node HTTP server, for what `next start`
 * cannot do (docs/decisions/015-security-surface.md):
 * - it hands every request's socket peer address to the application in a header it overwrites,
 *   since route handlers never see the socket and Next.js keeps any X-Forwarded-For a client sent
 *   (lib/access/origin.ts decides the client's address from it and LANTERN_TRUSTED_PROXY_HOPS);
 * - a taken port is one sentence, not Node's raw EADDRINUSE;
 * - SIGTERM and SIGINT stop accepting, let requests in flight finish, finish the push outbox
 *   round under way, close the database, then exit;
 * - every request gets an id (the caller's X-Request-Id when it is a safe short token, else a new
 *   one), answered as X-Request-Id and handed to the application in that header, and every line
 *   the process prints is one JSON object: level, time, msg, and the requestId and route of the
 *   request it was printed for; each request ends with a line that adds its status and duration.
 *   The route is the path without its query (which can carry tokens) and with ids and long
 *   opaque segments replaced by `:id`: no health data, names or secrets reach the log.
 * `npm start` and the e2e server run it; PORT (default 3000) and HOSTNAME as for `next start`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { format } from "node:util";
import next from "next";

// These must match lib/access/origin.ts.
const SOCKET_ADDRESS_HEADER = "x-lantern-socket-address";
const REQUEST_ID_HEADER = "x-request-id";
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
globalThis[Symbol.for("lantern.socketAddressStamped")] = true;

/** The request a line is printed for, across every await of its handling. */
const requestContext = new AsyncLocalStorage();

/** A path segment that identifies something (a UUID, a number, a Lantern token, a file id) rather than naming a route. */
function isIdentifierSegment(segment) {
  return /^lnt_/i.test(segment) || /^\d+$/.test(segment) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) || (segment.length >= 16 && /\d/.test(segment)) || segment.length > 40;
}

/** The route of a request URL for the log: the path without the query, identifiers as `:id`. */
function routeOf(url) {
  const path = (url ?? "/").split("?")[0].split("#")[0];
  // Whatever follows Nightscout's /api/v2/authorization/request/ is an access token, however it looks.
  return path
    .split("/")
    .map((segment, index, segments) => (isIdentifierSegment(segment) || (index > 0 && segments[index - 1] === "request" && segments[index - 2] === "authorization") ? ":id" : segment))
    .join("/");
}

/** Prints one JSON line; a line that lib/log.ts already made JSON keeps its fields. */
function writeLine(level, args) {
  const context = requestContext.getStore();
  let entry;
  if (args.length === 1 && typeof args[0] === "string" && args[0].startsWith('{"level":')) {
    try {
      entry = JSON.parse(args[0]);
    } catch {
      entry = undefined;
    }
  }
  entry ??= { level, time: new Date().toISOString(), msg: format(...args) };
  if (context) {
    entry.requestId ??= context.requestId;
    entry.route ??= context.route;
  }
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${JSON.stringify(entry)}\n`);
}
console.log = (...args) => writeLine("info", args);
console.info = (...args) => writeLine("info", args);
console.debug = (...args) => writeLine("debug", args);
console.warn = (...args) => writeLine("warn", args);
console.error = (...args) => writeLine("error", args);

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

const app = next({ dev: false, dir: import.meta.dirname, hostname: hostname ?? "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((request, response) => {
  const started = process.hrtime.bigint();
  const peer = request.socket.remoteAddress;
  if (peer) request.headers[SOCKET_ADDRESS_HEADER] = peer;
  else delete request.headers[SOCKET_ADDRESS_HEADER];
  const given = request.headers[REQUEST_ID_HEADER];
  const requestId = typeof given === "string" && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  request.headers[REQUEST_ID_HEADER] = requestId;
  response.setHeader("X-Request-Id", requestId);
  const context = { requestId, route: routeOf(request.url) };
  response.once("close", () => {
    const duration = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
    const status = response.writableFinished ? response.statusCode : 499;
    const level = status >= 500 ? "error" : "info";
    requestContext.run(context, () => writeLine(level, [JSON.stringify({ level, time: new Date().toISOString(), msg: `${request.method} answered ${status}`, method: request.method, status, duration })]));
  });
  requestContext.run(context, () => void handle(request, response));
});

server.on("error", (error) => {
  if (error.code === "EADDRINUSE") {
    console.error(`Lantern cannot start: port ${port} is already in use by another program; stop it or set PORT to a free port.`);
  } else if (error.code === "EACCES") {
    console.error(`Lantern cannot start: this user may not listen on port ${port}; choose a port above 1023 with PORT.`);
  } else {
    console.error(`Lantern cannot start: ${error.message}`);
  }
  process.exit(1);
});

server.listen(port, hostname, () => {
  console.log(`Lantern is listening on http://${hostname ?? "localhost"}:${port}`);
});

let stopping = false;
function shutDown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: no new connections; finishing the requests in flight.`);
  // Stop accepting, close idle keep-alive connections, and exit once the last request is answered.
  // Then the push outbox round under way finishes and the database closes (lib/start-up.ts).
  server.close(() => {
    const finishWork = globalThis[Symbol.for("lantern.shutdown")];
    void Promise.resolve(typeof finishWork === "function" ? finishWork() : undefined)
      .catch((error) => console.error(`Shutdown: ${error instanceof Error ? error.message : error}`))
      .finally(() => process.exit(0));
  });
  server.closeIdleConnections();
  // A request that never ends must not keep the process from stopping.
  setTimeout(() => process.exit(0), 25_000).unref();
}
process.on("SIGTERM", () => shutDown("SIGTERM"));
process.on("SIGINT", () => shutDown("SIGINT"));
