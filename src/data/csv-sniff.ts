import type { Db } from './db-types';
import { toRows } from './rows';
import { sql } from './sql';

/** The dialect every later step uses explicitly, so DuckDB and our line scan agree. */
export interface CsvDialect {
  delimiter: string;
  /** '' when the file is read without quoting. */
  quote: string;
  escape: string;
  comment: string;
  newline: string;
  header: boolean;
  skipRows: number;
  /** Column names as DuckDB will create them (blank and duplicate names already renamed). */
  columns: string[];
}

/**
 * Sniff on a copy of the first few MB only. In the browser `registerFile` transfers (detaches)
 * the buffer it is given, and we still need the full bytes for the line scan afterwards;
 * DuckDB's sniffer only samples the first 20,480 rows anyway.
 */
const SNIFF_PREFIX_BYTES = 4 << 20;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Where to cut the sniff sample: just after the last line break that ends a whole record, so
 * the sniffer never sees half of a quoted narrative (an unterminated quote at the end of its
 * sample is evidence against the right dialect). The dialect is not known yet, so records are
 * told apart by the parity of `"` (RFC 4180 doubles quotes inside a field, which keeps the
 * parity). When that finds no break in the second half of the window — a file with stray bare
 * quotes or backslash escapes — the last line break is used, as before.
 */
export function sniffCut(utf8: Uint8Array, limitBytes = SNIFF_PREFIX_BYTES): number {
  if (utf8.length <= limitBytes) return utf8.length;
  let quotes = 0;
  let lastBreak = 0;
  let lastRecordBreak = 0;
  for (let i = 0; i < limitBytes; i++) {
    const b = utf8[i];
    if (b === QUOTE) quotes++;
    else if (b === LF || (b === CR && utf8[i + 1] !== LF)) {
      lastBreak = i + 1;
      if ((quotes & 1) === 0) lastRecordBreak = i + 1;
    }
  }
  if (lastRecordBreak > limitBytes / 2) return lastRecordBreak;
  return lastBreak > 0 ? lastBreak : limitBytes;
}

let sniffSeq = 0;

export async function sniffDialect(db: Db, utf8: Uint8Array): Promise<CsvDialect> {
  const prefix = utf8.slice(0, sniffCut(utf8));
  // Read before registering: in the browser registerFile detaches `prefix`, and a detached
  // array reads as empty (or throws on .includes), which broke every quote-free export.
  const sampleHasQuote = prefix.includes(QUOTE);
  const name = `callsight_sniff_${++sniffSeq}.csv`;
  await db.registerFile(name, prefix);
  try {
    // ignore_errors makes the sniffer tolerate ragged rows, as the real read (store_rejects)
    // will. Not store_rejects here: in DuckDB 1.4 that makes sniff_csv super-linear in a long
    // quoted field full of delimiters (28 kB with 1,000 commas: 6–13 s instead of 0.05 s;
    // 100 kB: ~85 s), and the sniff has no use for the rejects table anyway.
    const rows = toRows(await db.query(sql`SELECT * FROM sniff_csv(${name}, ignore_errors = true, all_varchar = true)`));
    const r = rows[0];
    if (!r) throw new Error('sniff_csv returned no row');
    const unset = (v: unknown) => (v === '(empty)' || v === null || v === undefined ? '' : String(v));
    let quote = unset(r.Quote);
    let escapeChar = unset(r.Escape);
    // No quote in the sample means the sniffer had nothing to go on; a later "Smith, John"
    // must still parse, so fall back to RFC 4180 quoting unless the sample had bare quotes.
    if (quote === '' && !sampleHasQuote) quote = '"';
    // An empty escape with a quote would make `""` an error; RFC 4180 doubles the quote.
    if (escapeChar === '' && quote !== '') escapeChar = quote;
    const columns = ((r.Columns as { name: string }[] | null) ?? []).map((c) => c.name);
    return {
      delimiter: unset(r.Delimiter),
      quote,
      escape: escapeChar,
      comment: unset(r.Comment),
      newline: unset(r.NewLineDelimiter).replaceAll('\\r', '\r').replaceAll('\\n', '\n'),
      header: Boolean(r.HasHeader),
      skipRows: Number(r.SkipRows ?? 0),
      columns,
    };
  } finally {
    await db.dropFile(name);
  }
}
