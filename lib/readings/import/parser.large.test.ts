import { describe, expect, it } from "vitest";
import { createImportParser } from "./index";

/** Rows in the large-file test; 1,000,000 runs in a few seconds. */
const LARGE_FILE_ROWS = 1_000_000;
const CHUNK_CHARS = 64 * 1024;

describe("a large file", () => {
  it(`parses ${LARGE_FILE_ROWS.toLocaleString("en-US")} generic rows fed in 64 KiB chunks`, { timeout: 60_000 }, () => {
    const parser = createImportParser();
    const counts = { reading: 0, skipped: 0, rejected: 0 };
    const count = (outcomes: ReturnType<typeof parser.push>) => {
      for (const outcome of outcomes) counts[outcome.kind]++;
    };
    const started = performance.now();
    let pending = "time,value,unit,specimen\r\n";
    let chars = 0;
    for (let i = 0; i < LARGE_FILE_ROWS; i++) {
      const minute = i % 1440;
      const day = 1 + (Math.floor(i / 1440) % 28);
      const time = `2026-02-${String(day).padStart(2, "0")}T${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00${i % 3 === 0 ? "+01:00" : ""}`;
      pending += i % 2 === 0 ? `${time},${70 + (i % 200)},mg/dL,interstitial\r\n` : `${time},"${(4 + (i % 90) / 10).toFixed(1)}",mmol/L,\r\n`;
      while (pending.length >= CHUNK_CHARS) {
        count(parser.push(pending.slice(0, CHUNK_CHARS))); // cuts anywhere: inside rows, quotes, CRLF
        chars += CHUNK_CHARS;
        pending = pending.slice(CHUNK_CHARS);
      }
    }
    chars += pending.length;
    count(parser.push(pending));
    count(parser.end());
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `large file: ${LARGE_FILE_ROWS.toLocaleString("en-US")} rows, ${(chars / 1024 / 1024).toFixed(1)} MiB, ${seconds.toFixed(2)} s (generation included), heap ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`,
    );
    expect(parser.error).toBeNull();
    expect(counts).toEqual({ reading: LARGE_FILE_ROWS, skipped: 0, rejected: 0 });
  });
});
