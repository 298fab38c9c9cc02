/** RFC 4180 text: quote only when needed, double embedded quotes. */
export type Cell = string | number | null | undefined;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[], newline: '\n' | '\r\n'): string {
  const lines = [header.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
  return lines.join(newline) + newline;
}
