import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Readiness for load balancers: 200 when the database answers and is fully migrated, else 503 with why. */
export async function GET(): Promise<Response> {
  const state = await readiness();
  const headers = { "Cache-Control": "no-store" };
  return state.ready
    ? Response.json({ status: "ready" }, { headers })
    : Response.json({ status: "not-ready", message: state.reason }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
}
