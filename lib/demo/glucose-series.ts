/**
 * Plausible, deterministic glucose series for demo data: a daily rhythm with meal rises, an
 * overnight dip and noise, from a seeded generator so every installation draws the same shapes.
 */
export interface GeneratedReading {
  effectiveAt: Date;
  valueMgdl: number;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Typical glucose (mg/dL) at a local hour of day: meals at 7:30, 12:30 and 18:30. */
function dailyShape(hour: number): number {
  const mealRise = (mealHour: number, height: number) => {
    const sinceMeal = hour - mealHour;
    return sinceMeal >= 0 && sinceMeal < 4 ? height * Math.sin((Math.PI * sinceMeal) / 4) : 0;
  };
  const overnightDip = hour >= 2 && hour < 6 ? -25 * Math.sin((Math.PI * (hour - 2)) / 4) : 0;
  return 125 + mealRise(7.5, 80) + mealRise(12.5, 60) + mealRise(18.5, 95) + overnightDip;
}

function clampToMeterRange(value: number): number {
  return Math.min(400, Math.max(40, Math.round(value)));
}

/** A CGM trace every `intervalMinutes` for `days` days ending at `end`, local offset `utcOffsetMinutes`. */
export function cgmSeries(end: Date, days: number, utcOffsetMinutes: number, seed: number, intervalMinutes = 5): GeneratedReading[] {
  const random = seededRandom(seed);
  const count = (days * 24 * 60) / intervalMinutes;
  const start = end.getTime() - count * intervalMinutes * 60_000;
  let drift = 0;
  const readings: GeneratedReading[] = [];
  for (let i = 1; i <= count; i++) {
    const time = new Date(start + i * intervalMinutes * 60_000);
    const localHour = (((time.getTime() / 3_600_000 + utcOffsetMinutes / 60) % 24) + 24) % 24;
    drift = drift * 0.97 + (random() - 0.5) * 8; // slow wandering, so days differ
    readings.push({ effectiveAt: time, valueMgdl: clampToMeterRange(dailyShape(localHour) + drift * 3 + (random() - 0.5) * 6) });
  }
  return readings;
}

/** Fingerstick checks before breakfast, lunch and dinner and at bedtime. */
export function fingerstickSeries(end: Date, days: number, utcOffsetMinutes: number, seed: number): GeneratedReading[] {
  const random = seededRandom(seed);
  const readings: GeneratedReading[] = [];
  const localMidnight = (date: Date) => {
    const local = new Date(date.getTime() + utcOffsetMinutes * 60_000);
    return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - utcOffsetMinutes * 60_000;
  };
  const lastMidnight = localMidnight(end);
  for (let day = days - 1; day >= 0; day--) {
    for (const hour of [7.25, 12.25, 18.25, 22]) {
      const time = new Date(lastMidnight - day * 86_400_000 + hour * 3_600_000 + Math.floor(random() * 20) * 60_000);
      if (time > end) continue;
      readings.push({ effectiveAt: time, valueMgdl: Math.round(dailyShape(hour) + (random() - 0.4) * 70) });
    }
  }
  return readings;
}
