/** The PostgreSQL NOTIFY channel new live alerts are announced on (payload: `{ alertId, patientId }`). */
export const ALERTS_CHANNEL = "lantern_alerts";
