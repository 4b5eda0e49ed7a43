import { describe, expect, it } from "vitest";
import { timeAgo } from "./time-ago";

describe("timeAgo", () => {
  it.each([
    [0.5, "just now"],
    [12.9, "12 min ago"],
    [60, "1 h ago"],
    [47 * 60 + 59, "47 h ago"],
    [48 * 60, "2 days ago"],
    [10 * 1440 + 5, "10 days ago"],
  ])("%d minutes: %s", (minutes, expected) => {
    expect(timeAgo(minutes)).toBe(expected);
  });
});
