import type { Table } from 'apache-arrow';
import type { Row } from '../rows';
import { join, type Sql, sql, unsafeRaw } from '../sql';

/**
 * Several view queries as ONE statement: each becomes a LIST of its rows (as STRUCTs) in one
 * result row. In the tab every statement is a prepare/run/close round trip to the DuckDB
 * worker, so an interaction costs one message exchange instead of three per view. Row order
 * is carried by row_number() over each query's ordered output, then restored by list(ORDER BY).
 */
export function batchSql(statements: readonly Sql[]): Sql {
  if (statements.length === 0) throw new RangeError('batchSql needs at least one statement.');
  const columns = statements.map(
    (s, i) => sql`(SELECT coalesce(list(q ORDER BY q.__row), []) FROM (SELECT *, row_number() OVER () AS __row FROM (${s})) q) AS ${unsafeRaw(`v${i}`)}`,
  );
  return sql`SELECT ${join(columns, ', ')}`;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && 'toJSON' in value && typeof (value as { toJSON: unknown }).toJSON === 'function') {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

/** Rows of each batched statement, in order, as `toRows` would have given them one by one. */
export function unbatch(table: Table, count: number): Row[][] {
  const out: Row[][] = [];
  for (let i = 0; i < count; i++) {
    const list = table.getChild(`v${i}`)?.get(0) as { length: number; get(j: number): unknown } | null | undefined;
    const rows: Row[] = [];
    for (let j = 0; j < (list?.length ?? 0); j++) {
      const struct = list!.get(j) as { toJSON(): Record<string, unknown> };
      const row: Row = {};
      for (const [k, v] of Object.entries(struct.toJSON())) if (k !== '__row') row[k] = plain(v);
      rows.push(row);
    }
    out.push(rows);
  }
  return out;
}
