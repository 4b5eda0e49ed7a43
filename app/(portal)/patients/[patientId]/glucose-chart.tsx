"use client";

import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { GlucoseUnit } from "@/lib/readings/units";

export interface ChartPoint {
  time: number; // epoch ms
  value: number; // in the display unit
}

const TARGET_RANGE = { "mg/dL": [70, 180], "mmol/L": [3.9, 10] } as const;

/**
 * Glucose over time with the standard 70-180 mg/dL target band, ticks at whole local hours and room
 * above the top label (ticks computed on the server: lib/time/ticks). The readings table is its text alternative.
 */
export function GlucoseChart({ points, ticks, unit, timezone, summary }: { points: ChartPoint[]; ticks: number[]; unit: GlucoseUnit; timezone: string; summary: string }) {
  const timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, weekday: "short", hour: "2-digit", minute: "2-digit" });
  const [low, high] = TARGET_RANGE[unit];
  return (
    <figure className="chart" aria-label={summary} role="img">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 20, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#dde2ea" />
          <ReferenceArea y1={low} y2={high} fill="#2e8b57" fillOpacity={0.12} />
          <XAxis dataKey="time" type="number" scale="time" domain={["dataMin", "dataMax"]} ticks={ticks} tickFormatter={(t: number) => timeFormat.format(t)} stroke="#4a5263" />
          <YAxis unit={` ${unit}`} width={90} stroke="#4a5263" domain={unit === "mg/dL" ? [40, "auto"] : [2, "auto"]} />
          <Tooltip labelFormatter={(t) => timeFormat.format(Number(t))} formatter={(v) => [`${v} ${unit}`, "Glucose"]} />
          <Line type="monotone" dataKey="value" stroke="#0b57a3" strokeWidth={2} dot={points.length < 100} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
