import { ident, join, type Sql, sql } from './sql';

/**
 * How each Parquet column becomes the VARCHAR the staging contract asks for, decided from
 * the type DuckDB gave the Arrow column. Text stays text; everything else is cast with
 * DuckDB's own formatting, which DuckDB parses back (timestamps as `YYYY-MM-DD HH:MM:SS`,
 * doubles in shortest round-trip form), so the mapping step treats CSV and Parquet alike.
 */
export interface StagedColumn {
  /** column name in the decoded Arrow batch */
  source: string;
  /** column name in the staging table (differs only if it would collide with ours) */
  target: string;
  duckdbType: string;
}

export const RESERVED_COLUMNS = ['_source_file', '_source_line'] as const;

export function planColumns(described: { name: string; type: string }[]): { columns: StagedColumn[]; warnings: string[] } {
  const warnings: string[] = [];
  const taken = new Set<string>(RESERVED_COLUMNS);
  const columns = described.map(({ name, type }) => {
    let target = name;
    while (taken.has(target)) target = `${target}_1`;
    if (target !== name) warnings.push(`Column \`${name}\` clashes with a column Callsight adds, so it is staged as \`${target}\`.`);
    taken.add(target);
    return { source: name, target, duckdbType: type };
  });

  const nested = columns.filter((c) => isNested(c.duckdbType));
  if (nested.length > 0) {
    warnings.push(
      `${nested.length} column(s) hold nested values (lists, maps or structs): ${names(nested)}. They are kept as text in DuckDB's notation, e.g. [1, 2] or {'key': value}; they cannot be mapped to dates or coordinates directly.`,
    );
  }
  const binary = columns.filter((c) => c.duckdbType === 'BLOB');
  if (binary.length > 0) {
    warnings.push(
      `${binary.length} column(s) are stored as raw bytes without a text annotation: ${names(binary)}. Values that are valid UTF-8 are read as text; any others are shown with \\xNN escapes.`,
    );
  }
  const zoned = columns.filter((c) => /WITH TIME ZONE|TIMESTAMPTZ/.test(c.duckdbType));
  if (zoned.length > 0) {
    warnings.push(
      `${zoned.length} timestamp column(s) are absolute UTC instants: ${names(zoned)}. They are staged as UTC text with a "+00" suffix; Callsight treats times as agency-local wall-clock time, so convert or choose the agency time zone deliberately.`,
    );
  }
  return { columns, warnings };
}

/** The SELECT list turning one decoded batch into staging rows. */
export function stagingSelect(columns: StagedColumn[], fileName: string, firstLine: number): Sql {
  const parts = columns.map((c) => sql`${castToText(c)} AS ${ident(c.target)}`);
  parts.push(sql`CAST(${fileName} AS VARCHAR) AS _source_file`);
  // rowid of a freshly created table counts decoded rows from 0, in file order.
  parts.push(sql`CAST(rowid + ${firstLine} AS BIGINT) AS _source_line`);
  return join(parts, ', ');
}

export function castToText(c: StagedColumn): Sql {
  const col = ident(c.source);
  if (c.duckdbType === 'VARCHAR') return sql`${col}`;
  // TRY: invalid UTF-8 yields NULL, and then the escaped form keeps the bytes visible.
  if (c.duckdbType === 'BLOB') return sql`COALESCE(TRY(decode(${col})), CAST(${col} AS VARCHAR))`;
  return sql`CAST(${col} AS VARCHAR)`;
}

function isNested(type: string): boolean {
  return type.endsWith(']') || /^(STRUCT|MAP|UNION)\(/.test(type);
}

function names(columns: StagedColumn[]): string {
  const shown = columns.slice(0, 5).map((c) => `\`${c.source}\``);
  return columns.length > 5 ? `${shown.join(', ')} and ${columns.length - 5} more` : shown.join(', ');
}
