import { toggleValue } from '../state/dashboard-filters';
import { setFilters, useDashboard } from '../state/dashboard-store';
import { AreaTable } from './charts/area-table';
import { HourOfWeekHeatmap } from './charts/hour-of-week-heatmap';
import { TimeSeries } from './charts/time-series';
import { TypeBars } from './charts/type-bars';
import { Playback } from './playback';

/** The cross-filtered charts; each reads the shared filters and writes its own clause. */
export function ChartsPanel() {
  const { results, filters, comparison, error } = useDashboard();
  if (!results) return <p className="muted">Load a calls file to see the charts.</p>;
  return (
    <div className="charts-panel">
      {error ? <p className="field-error">{error}</p> : null}
      <HourOfWeekHeatmap data={results.hourOfWeek} brush={filters.hourOfWeek} onBrush={(hourOfWeek) => setFilters({ ...filters, hourOfWeek })} />
      <Playback />
      <TimeSeries data={results.daily} dates={filters.dates} onBrush={(dates) => setFilters({ ...filters, dates })} />
      <TypeBars data={results.types} selected={filters.types} onToggle={(t) => setFilters({ ...filters, types: toggleValue(filters.types, t) })} />
      {results.areas.length ? (
        <AreaTable rows={results.areas} comparison={comparison} selected={filters.areas} onToggle={(id) => setFilters({ ...filters, areas: toggleValue(filters.areas, id) })} />
      ) : null}
    </div>
  );
}
