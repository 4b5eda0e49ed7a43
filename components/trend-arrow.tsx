import { trendArrows, type TrendDirection } from "@/lib/readings/trend";

/** A CGM reading's trend: the arrow for the eye, the words for screen readers; nothing when the sensor gave none. */
export function TrendArrow({ direction }: { direction: TrendDirection | null }) {
  const arrow = direction === null ? null : trendArrows[direction];
  if (!arrow) return null;
  return (
    <span className="trend" title={arrow.words}>
      <span aria-hidden="true">{arrow.glyph}</span>
      <span className="visually-hidden">{arrow.words}</span>
    </span>
  );
}
