import { describe, expect, it } from "vitest";
import { asAppError, isDatabaseUnavailable } from "./errors";

/** What postgres.js and drizzle throw when the database is away, as seen in the fault tests. */
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1"), { cause });
const withCode = (code: string) => Object.assign(new Error("driver error"), { code });

describe("a database that is down or restarting", () => {
  it.each([
    ["refused, straight from the driver", withCode("ECONNREFUSED")],
    ["refused, wrapped by drizzle", wrapped(withCode("ECONNREFUSED"))],
    ["refused on every address tried", wrapped(Object.assign(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]), {}))],
    ["connection closed mid-query", wrapped(withCode("CONNECTION_CLOSED"))],
    ["terminated by an administrator (57P01)", wrapped(withCode("57P01"))],
    ["starting up (57P03)", wrapped(withCode("57P03"))],
    ["connection failure (08006)", withCode("08006")],
  ])("is unavailable: %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(asAppError(error)?.code).toBe("unavailable");
  });

  it.each([
    ["a unique violation", wrapped(withCode("23505"))],
    ["a syntax error", wrapped(withCode("42601"))],
    ["a plain error", new Error("boom")],
    ["nothing", undefined],
  ])("is not unavailable: %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
