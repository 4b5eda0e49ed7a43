"use client";

import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * An instant in the viewer's own time zone (the browser's), e.g. "3 Dec 14:05". The server, which
 * does not know the viewer's zone, renders UTC, marked as such, until the browser takes over.
 */
export function LocalTime({ iso }: { iso: string }) {
  const zone = useSyncExternalStore(subscribeToNothing, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => "UTC");
  const text = new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  return <time dateTime={iso}>{zone === "UTC" ? `${text} UTC` : text}</time>;
}
