const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV for the case-review list. Cells a spreadsheet would run as a formula get a leading
 * apostrophe (OWASP CSV injection guidance), as in rejectsToCsv.
 */
export function rowsToCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    let s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
    if (FORMULA_START.test(s)) s = `'${s}`;
    return /[",\r\n']/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}
