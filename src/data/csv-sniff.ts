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

let sniffSeq = 0;

export async function sniffDialect(db: Db, utf8: Uint8Array): Promise<CsvDialect> {
  let cut = utf8.length;
  if (cut > SNIFF_PREFIX_BYTES) {
    cut = SNIFF_PREFIX_BYTES;
    while (cut > 0 && utf8[cut - 1] !== 0x0a && utf8[cut - 1] !== 0x0d) cut--;
    if (cut === 0) cut = SNIFF_PREFIX_BYTES;
  }
  const prefix = utf8.slice(0, cut);
  const name = `callsight_sniff_${++sniffSeq}.csv`;
  await db.registerFile(name, prefix);
  try {
    // store_rejects makes the sniffer tolerate ragged rows, exactly as the real read will.
    const rows = toRows(await db.query(sql`SELECT * FROM sniff_csv(${name}, store_rejects = true, all_varchar = true)`));
    const r = rows[0];
    if (!r) throw new Error('sniff_csv returned no row');
    const unset = (v: unknown) => (v === '(empty)' || v === null || v === undefined ? '' : String(v));
    let quote = unset(r.Quote);
    let escapeChar = unset(r.Escape);
    // No quote in the sample means the sniffer had nothing to go on; a later "Smith, John"
    // must still parse, so fall back to RFC 4180 quoting unless the sample had bare quotes.
    if (quote === '' && !prefix.includes(0x22)) quote = '"';
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
