// Enum values shared by the schema and the pure domain code (which must not import drizzle tables).
export const glucoseUnits = ["mg/dL", "mmol/L"] as const;
export type GlucoseUnit = (typeof glucoseUnits)[number];

// capillary: fingerstick meter; interstitial: CGM sensor.
export const specimens = ["capillary", "interstitial"] as const;
export type Specimen = (typeof specimens)[number];

export const readingSources = ["manual", "device", "file", "uploader", "fhir"] as const;
export type ReadingSource = (typeof readingSources)[number];
