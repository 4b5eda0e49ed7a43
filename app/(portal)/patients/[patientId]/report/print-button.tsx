"use client";

/** Opens the browser's print dialog for the report (the print styles fit A4 and Letter). */
export function PrintButton() {
  return (
    <p className="no-print">
      <button type="button" onClick={() => window.print()}>
        Print this report
      </button>
    </p>
  );
}
