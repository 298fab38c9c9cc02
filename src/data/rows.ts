import type { Table } from 'apache-arrow';

export type Row = Record<string, unknown>;

/**
 * Arrow rows as plain records. BIGINT/HUGEINT come back as bigint; counts we show fit in
 * a double, so they are converted. DuckDB TIMESTAMP arrives as epoch milliseconds.
 */
export function toRows(table: Table): Row[] {
  const fields = table.schema.fields.map((f) => f.name);
  const columns = fields.map((name) => table.getChild(name));
  const out: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) {
      row[fields[c]!] = plain(columns[c]?.get(i));
    }
    out[i] = row;
  }
  return out;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'toJSON' in value && typeof (value as { toJSON: unknown }).toJSON === 'function') {
    // Arrow structs/lists/decimals expose toJSON; keeps results serialisable for the CLI.
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

/** First column of the first row, as a number (for COUNT(*) and friends). */
export function scalar(table: Table): number {
  const v = table.getChildAt(0)?.get(0);
  return typeof v === 'bigint' ? Number(v) : Number(v ?? Number.NaN);
}
