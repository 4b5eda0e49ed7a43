const englishPlurals = new Intl.PluralRules("en");

/** "1 patient", "2 patients", "0 people": a number with its noun in the right form. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-GB")} ${englishPlurals.select(count) === "one" ? singular : plural}`;
}
