import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { type AreaRow, type AreaSort, create as createAreaTable, DEFAULT_SORT } from '../../charts/area-table';
import type { Comparison } from '../../state/dashboard-store';

const TITLE = 'Areas';

interface Props {
  rows: AreaRow[];
  /** the compared periods when a time filter is set (the change column), else null */
  comparison: Comparison | null;
  selected: (string | null)[];
  onSelect: (ids: (string | null)[]) => void;
}

const lastDay = (iso: string) => {
  const day = iso.slice(0, 10);
  if (iso.length > 10) return iso.replace('T', ' ');
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/**
 * The area ranking from the shared module (src/charts/area-table): sortable by calls, rate and
 * change vs the period before; a row click, Enter or Space filters by area.
 */
// memo: a step that leaves the ranking and selection as they were does not redraw it
export const AreaTable = memo(function AreaTable({ rows, comparison, selected, onSelect }: Props) {
  const [sort, setSort] = useState<AreaSort>(DEFAULT_SORT);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof createAreaTable> | null>(null);
  const latest = useRef(onSelect);
  latest.current = onSelect;
  const sortRef = useRef(sort);
  sortRef.current = sort;
  useEffect(() => {
    if (!host.current) return;
    chart.current = createAreaTable(host.current, { title: TITLE, sort: sortRef.current, onSort: setSort, onSelect: (ids) => latest.current(ids) });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.update(rows);
    chart.current?.setSelected(selected);
  }, [rows, selected]);
  const changeNote = useMemo(
    () =>
      comparison
        ? `Change: ${comparison.current[0]} to ${lastDay(comparison.current[1])} vs ${comparison.previous[0]} to ${lastDay(comparison.previous[1])}.`
        : 'Filter a period (brush the time series) to see the change vs the period before.',
    [comparison],
  );
  return (
    <section className="chart" aria-labelledby="area-table-heading" data-testid="chart-areas">
      <div className="chart__head">
        <h3 id="area-table-heading">{TITLE}</h3>
      </div>
      <p className="chart__note">
        {changeNote} Sort by a column heading; click an area to filter.
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus */}
      <section className="table-scroll" tabIndex={0} aria-label="Areas, table">
        <div ref={host} className="area-table" />
      </section>
    </section>
  );
});
