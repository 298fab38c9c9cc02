import { type ReactNode, useState } from 'react';

export interface Column<T> {
  key: string;
  label: string;
  value: (row: T) => string | number | null;
  render?: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A plain table whose headers sort; data text is rendered as text, never as HTML. */
export function SortableTable<T>(props: { caption: string; columns: Column<T>[]; rows: T[]; highlight?: (row: T) => boolean; maxRows?: number }) {
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(null);
  const col = props.columns.find((c) => c.key === sort?.key);
  const rows = col
    ? [...props.rows].sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''), 'en', { numeric: true });
        return sort!.desc ? -d : d;
      })
    : props.rows;
  const shown = rows.slice(0, props.maxRows ?? 200);
  return (
    <div className="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="sort-button" onClick={() => setSort({ key: c.key, desc: sort?.key === c.key ? !sort.desc : Boolean(c.numeric) })}>
                  {c.label}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no stable id and are re-rendered whole
            <tr key={i} className={props.highlight?.(r) ? 'row-flagged' : undefined}>
              {props.columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render ? c.render(r) : (c.value(r) ?? '–')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length ? <p className="table-note">{rows.length - shown.length} more rows not shown.</p> : null}
    </div>
  );
}
