import { pgEnum } from "drizzle-orm/pg-core";
import { glucoseUnits } from "./readings-enums";

/** mg/dL or mmol/L: how a reading was received, and how a patient or a staff member prefers to read glucose. */
export const glucoseUnit = pgEnum("glucose_unit", glucoseUnits);
