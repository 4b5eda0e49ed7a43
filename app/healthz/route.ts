export const dynamic = "force-dynamic";

/** Liveness for load balancers: the process answers. No data, no database. */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
