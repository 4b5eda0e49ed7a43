// Enum values shared by the schema and the pure domain code (which must not import drizzle tables).
export const glucoseUnits = ["mg/dL", "mmol/L"] as const;
export type GlucoseUnit = (typeof glucoseUnits)[number];

// capillary: fingerstick meter; interstitial: CGM sensor.
export const specimens = ["capillary", "interstitial"] as const;
export type Specimen = (typeof specimens)[number];

export const readingSources = ["manual", "device", "file", "uploader", "fhir"] as const;
export type ReadingSource = (typeof readingSources)[number];

export const mealContexts = ["fasting", "before-meal", "after-meal", "bedtime"] as const;
export type MealContext = (typeof mealContexts)[number];

// A LO/HI meter reading is censored: the true value is below/above the stored limit.
export const censorings = ["below", "above"] as const;
export type Censoring = (typeof censorings)[number];

export const deviceKinds = ["fingerstick-meter", "cgm"] as const;
export type DeviceKind = (typeof deviceKinds)[number];

/** A CGM reading's trend arrow, in Nightscout's names (what uploader apps and followers use). */
export const trendDirections = ["DoubleUp", "SingleUp", "FortyFiveUp", "Flat", "FortyFiveDown", "SingleDown", "DoubleDown", "NONE", "NOT COMPUTABLE"] as const;
export type TrendDirection = (typeof trendDirections)[number];
