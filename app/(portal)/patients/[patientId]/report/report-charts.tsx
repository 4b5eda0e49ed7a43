"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Scatter, XAxis, YAxis } from "recharts";
import type { GlucoseUnit } from "@/lib/readings/units";

/** Minutes after local midnight as a 24-hour clock label. */
function clock(minute: number): string {
  const hours = Math.floor(minute / 60) % 24;
  return `${String(hours).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const DAY_TICKS = [0, 180, 360, 540, 720, 900, 1080, 1260, 1440];
const COLOURS = { median: "#0b3d91", inner: "#5b8fd6", outer: "#b9cdea", target: "#2e8b57", dot: "#8a1f11" };

export interface AgpPoint {
  minute: number;
  /** [low, high] in the display unit; null where the bin has too few readings. */
  outer: [number, number] | null;
  inner: [number, number] | null;
  median: number | null;
}

/** The ambulatory glucose profile: median, 25-75 and 5-95 percentile bands over a 24-hour day, with the target band. */
export function AgpChart({ points, unit, target, summary }: { points: AgpPoint[]; unit: GlucoseUnit; target: [number, number]; summary: string }) {
  return (
    <figure className="chart agp-chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 20, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#dde2ea" />
          <ReferenceArea y1={target[0]} y2={target[1]} fill={COLOURS.target} fillOpacity={0.1} stroke={COLOURS.target} strokeDasharray="4 3" />
          <XAxis dataKey="minute" type="number" domain={[0, 1440]} ticks={DAY_TICKS} tickFormatter={clock} stroke="#4a5263" label={{ value: "Time of day", position: "insideBottom", offset: -4 }} height={44} />
          <YAxis unit={` ${unit}`} width={90} stroke="#4a5263" domain={unit === "mg/dL" ? [40, "auto"] : [2, "auto"]} />
          <Legend verticalAlign="top" height={28} />
          <Area dataKey="outer" name="5-95% of readings" stroke="none" fill={COLOURS.outer} fillOpacity={0.8} isAnimationActive={false} connectNulls={false} />
          <Area dataKey="inner" name="25-75% of readings" stroke="none" fill={COLOURS.inner} fillOpacity={0.8} isAnimationActive={false} connectNulls={false} />
          <Line dataKey="median" name="Median" stroke={COLOURS.median} strokeWidth={2.5} dot={false} isAnimationActive={false} connectNulls={false} type="linear" />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

export interface DayTraceData {
  date: string;
  label: string;
  summary: string;
  cgm: { minute: number; value: number | null }[];
  dots: { minute: number; value: number }[];
}

/** One small chart per day: the CGM line broken at gaps (straight segments, never smoothed), fingersticks as dots. */
export function DailyTraceChart({ day, unit, target, yMax }: { day: DayTraceData; unit: GlucoseUnit; target: [number, number]; yMax: number }) {
  return (
    <figure className="day-trace">
      <figcaption>{day.label}</figcaption>
      <div className="day-trace-plot" role="img" aria-label={day.summary}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart margin={{ top: 6, right: 6, bottom: 0, left: 0 }}>
            <ReferenceArea y1={target[0]} y2={target[1]} fill={COLOURS.target} fillOpacity={0.1} />
            <XAxis dataKey="minute" type="number" domain={[0, 1440]} ticks={[0, 360, 720, 1080, 1440]} tickFormatter={clock} stroke="#4a5263" fontSize={11} allowDuplicatedCategory={false} />
            <YAxis width={34} domain={[unit === "mg/dL" ? 40 : 2, yMax]} stroke="#4a5263" fontSize={11} />
            <Line data={day.cgm} dataKey="value" name="CGM" stroke={COLOURS.median} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} type="linear" />
            <Scatter data={day.dots} dataKey="value" name="Fingerstick" fill={COLOURS.dot} shape="diamond" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
