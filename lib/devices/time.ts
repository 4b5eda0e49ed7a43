/** The UTC offset written in an ISO 8601 time (`Z`, `+01:00`, `-0930`), in minutes; null if none. */
export function offsetMinutesOf(isoTime: string): number | null {
  const match = /(Z|([+-])(\d{2}):?(\d{2}))$/i.exec(isoTime.trim());
  if (!match) return null;
  if (match[1]!.toUpperCase() === "Z") return 0;
  const minutes = Number(match[3]) * 60 + Number(match[4]);
  return match[2] === "-" ? -minutes : minutes;
}
