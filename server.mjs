/**
 * Lantern's production server: Next.js behind a plain Node HTTP server, for what `next start`
 * cannot do (docs/decisions/015-security-surface.md):
 * - it hands every request's socket peer address to the application in a header it overwrites,
 *   since route handlers never see the socket and Next.js keeps any X-Forwarded-For a client sent
 *   (lib/access/origin.ts decides the client's address from it and LANTERN_TRUSTED_PROXY_HOPS);
 * - a taken port is one sentence, not Node's raw EADDRINUSE;
 * - SIGTERM and SIGINT stop accepting, let requests in flight finish, finish the push outbox
 *   round under way, close the database, then exit.
 * `npm start` and the e2e server run it; PORT (default 3000) and HOSTNAME as for `next start`.
 */
import { createServer } from "node:http";
import next from "next";

// Both must match lib/access/origin.ts.
const SOCKET_ADDRESS_HEADER = "x-lantern-socket-address";
globalThis[Symbol.for("lantern.socketAddressStamped")] = true;

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

const app = next({ dev: false, dir: import.meta.dirname, hostname: hostname ?? "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((request, response) => {
  const peer = request.socket.remoteAddress;
  if (peer) request.headers[SOCKET_ADDRESS_HEADER] = peer;
  else delete request.headers[SOCKET_ADDRESS_HEADER];
  void handle(request, response);
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
