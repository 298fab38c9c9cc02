/**
 * CSV for analysts' spreadsheets: RFC 4180 (quotes doubled, CRLF records), optional UTF-8
 * byte-order mark so Excel on Windows reads accents correctly, and defused formulas.
 *
 * Formula injection (OWASP "CSV Injection"): a text cell starting with = + - @ tab or CR is run
 * as a formula by Excel/LibreOffice/Sheets, so it gets a leading apostrophe. Numbers passed as
 * numbers are written as numbers (-3 stays -3): a typed number cannot carry a formula, and
 * prefixing it would turn counts into text in the analyst's spreadsheet.
 */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

export interface CsvOptions {
  /** prepend U+FEFF (default false; true for files meant to be double-clicked into Excel) */
  bom?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;
// Apostrophes are quoted too, so the defusing prefix stays visibly part of the value.
const NEEDS_QUOTES = /[",\r\n']/;

/** Text that a spreadsheet would evaluate, made inert. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, escaped and quoted as needed. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Object.is(value, -0) ? 0 : value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString()) : defuseFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>, o: CsvOptions = {}): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV export: a row has ${row.length} values for ${header.length} columns.`);
    lines.push(row.map(csvCell).join(','));
  }
  return `${o.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

/** Records by column list, e.g. toCsvRecords(rows, [['area', (r) => r.area], ['calls', (r) => r.n]]). */
export function toCsvRecords<R>(records: Iterable<R>, columns: readonly (readonly [string, (r: R) => CsvValue])[], o: CsvOptions = {}): string {
  const rows = function* () {
    for (const r of records) yield columns.map(([, get]) => get(r));
  };
  return toCsv(
    columns.map(([h]) => h),
    rows(),
    o,
  );
}
