/**
 * A wide table's scrolling wrapper that keyboard users can reach and scroll (WCAG 2.1.1): it
 * takes focus, and screen readers announce it by its own name (not its section's heading: two
 * landmarks with one name are ambiguous). Tables whose rows hold buttons or links do not need
 * it; the focus lands inside them.
 */
export function scrollableRegion(name: string) {
  return { tabIndex: 0, role: "region", "aria-label": name } as const;
}
