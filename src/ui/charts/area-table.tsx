import { useState } from 'react';
import type { AreaRow, Comparison } from '../../data/queries/dashboard';
import { previousDay } from '../../state/dashboard-filters';
import { formatCount } from '../format';

type SortKey = 'name' | 'n' | 'perKm2' | 'change';

export function changePct(r: Pick<AreaRow, 'current' | 'previous'>): number | null {
  return r.previous > 0 ? (100 * (r.current - r.previous)) / r.previous : null;
}

/** Sortable area ranking: count, rate per km², change between the comparison periods. */
export function AreaTable({ rows, comparison, selected, onToggle }: { rows: AreaRow[]; comparison: Comparison | null; selected: string[]; onToggle: (id: string) => void }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'n', desc: true });
  const value = (r: AreaRow): number | string => (sort.key === 'name' ? r.name : sort.key === 'n' ? r.n : sort.key === 'perKm2' ? (r.perKm2 ?? -1) : (changePct(r) ?? -Infinity));
  const sorted = [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number);
    return (sort.desc ? -c : c) || a.areaId.localeCompare(b.areaId);
  });
  const header = (key: SortKey, label: string, numeric = true) => (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' }))}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
  return (
    <section className="chart" aria-labelledby="area-table-heading" data-testid="chart-areas">
      <div className="chart__head">
        <h3 id="area-table-heading">Areas</h3>
      </div>
      <p className="chart__note">
        Change: {comparison ? `${comparison.current[0]} to ${previousDay(comparison.current[1])} vs ${comparison.previous[0]} to ${previousDay(comparison.previous[1])}` : 'no comparison period'}. Click a name to filter.
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus */}
      <section className="table-scroll" tabIndex={0} aria-label="Areas, table">
        <table className="data-table area-table">
          <thead>
            <tr>
              {header('name', 'Area', false)}
              {header('n', 'Calls')}
              {header('perKm2', 'per km²')}
              {header('change', 'Change')}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => {
              const pct = changePct(r);
              const on = selected.includes(r.areaId);
              return (
                <tr key={r.areaId} className={on ? 'is-selected' : undefined}>
                  <td>
                    <button type="button" className="link-button" aria-pressed={on} onClick={() => onToggle(r.areaId)}>
                      {r.name}
                    </button>
                  </td>
                  <td className="num">{formatCount(r.n)}</td>
                  <td className="num">{r.perKm2 === null ? '–' : r.perKm2.toFixed(1)}</td>
                  <td className="num" title={`${formatCount(r.current)} vs ${formatCount(r.previous)}`}>
                    {pct === null ? '–' : `${pct > 0 ? '+' : ''}${pct.toFixed(0)} %`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}
