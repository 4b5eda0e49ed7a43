import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { BoundedQueue } from "./bounded-queue";
import { normalizePassword } from "./password-policy";

// OWASP Password Storage Cheat Sheet argon2id settings: 19 MiB, 2 iterations, 1 lane.
// `Algorithm` is a const enum, which isolated modules cannot read at run time: 2 is Argon2id.
const ARGON2ID: Algorithm.Argon2id = 2;
const ARGON2ID_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Every hash and verification in this process waits its turn here: two at a time, leaving the
 * rest of libuv's thread pool (four threads) to the requests that are not signing in. A sign-in
 * flood then slows sign-ins, not the portal, the devices or the FHIR API.
 */
const globalForHashing = globalThis as typeof globalThis & { lanternPasswordHashing?: BoundedQueue };
export const passwordHashingQueue = (globalForHashing.lanternPasswordHashing ??= new BoundedQueue(2));

export function hashPassword(password: string): Promise<string> {
  return passwordHashingQueue.run(() => hash(normalizePassword(password), ARGON2ID_OPTIONS));
}

export async function verifyPassword(phcHash: string, password: string): Promise<boolean> {
  try {
    return await passwordHashingQueue.run(() => verify(phcHash, normalizePassword(password)));
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

/** True when a stored hash was made with weaker settings than today's, so sign-in rehashes it. */
export function needsRehash(phcHash: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phcHash);
  if (!match) return true;
  const [memory, time, lanes] = match.slice(1).map(Number);
  return (
    memory !== ARGON2ID_OPTIONS.memoryCost || time !== ARGON2ID_OPTIONS.timeCost || lanes !== ARGON2ID_OPTIONS.parallelism
  );
}

// Compared against when the email is unknown, so unknown and known users take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("lantern-dummy-password-never-valid");
  return dummyHash;
}

/**
 * Stored for an invited person until they choose their own password from the emailed link: not a
 * hash, so no password ever verifies against it, and nobody (admins included) ever knows one.
 */
export const NO_PASSWORD_YET = "!invited:no-password-yet";
