import type { UploaderAccess } from "@/db/schema/nightscout";
import { sha1Hex } from "@/lib/security/tokens";
import { createAccessToken } from "@/lib/uploader/access-tokens";
import { createUploaderSecret } from "@/lib/uploader/credentials";
import { insertOrganization, insertPatientWithAccount, type InsertedUser } from "./factories";

/**
 * Requests as Nightscout apps send them, for integration tests that call the route handlers:
 * the credential where each app puts it, JSON bodies, and the route's params.
 */

export interface NightscoutCredential {
  apiSecret?: string;
  token?: string;
  bearer?: string;
}

export function nightscoutRequest(path: string, init: { credential?: NightscoutCredential; body?: unknown; method?: string; headers?: Record<string, string> } = {}): Request {
  const url = new URL(`http://lantern.test${path}`);
  if (init.credential?.token) url.searchParams.set("token", init.credential.token);
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (init.credential?.apiSecret) headers["api-secret"] = init.credential.apiSecret;
  if (init.credential?.bearer !== undefined) headers.authorization = `Bearer ${init.credential.bearer}`;
  return new Request(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

/** The second argument Next.js gives a route handler. */
export const routeParams = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

export interface UploaderWorld {
  owner: InsertedUser;
  patientId: string;
  /** The API secret as apps send it: its SHA-1 hex. */
  apiSecret: string;
  plainSecret: string;
}

/** A patient with an account and an API secret, in the zone given. */
export async function patientWithUploader(options: { timezone?: string } = {}): Promise<UploaderWorld> {
  const organization = await insertOrganization();
  const patient = await insertPatientWithAccount(organization.id, { timezone: options.timezone ?? "Europe/Berlin" });
  const { secret } = await createUploaderSecret(patient.actor, patient.patientId);
  return { owner: patient.actor, patientId: patient.patientId, apiSecret: sha1Hex(secret), plainSecret: secret };
}

export async function accessTokenOf(world: UploaderWorld, access: UploaderAccess, name = `Test ${access}`): Promise<string> {
  return (await createAccessToken(world.owner, world.patientId, { name, access })).token;
}

export const json = async <T = unknown>(response: Response): Promise<T> => (await response.json()) as T;
