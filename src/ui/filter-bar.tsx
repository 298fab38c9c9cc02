import { activeFilterCount, clearFilter, describeFilter, FILTER_LABELS, type FilterKey, NO_FILTERS } from '../state/dashboard-filters';
import { setFilters, useDashboard } from '../state/dashboard-store';
import { formatCount } from './format';

const KEYS: FilterKey[] = ['dates', 'hourOfWeek', 'types', 'areas', 'bbox'];

/** The one headline count every view agrees with, and each active filter as a removable chip. */
export function FilterBar({ total, areaNames }: { total: number; areaNames: ReadonlyMap<string, string> }) {
  const { filters, results, loading } = useDashboard();
  const n = activeFilterCount(filters);
  return (
    <section className="filter-bar" aria-label="Active filters">
      <p className="filter-bar__count" aria-live="polite" aria-busy={loading}>
        <strong data-testid="matching-count">{results ? formatCount(results.count) : '…'}</strong> of {formatCount(total)} calls
        {loading ? <span className="filter-bar__busy"> updating…</span> : null}
      </p>
      <ul className="chips">
        {KEYS.map((key) => {
          const text = describeFilter(filters, key, areaNames);
          if (!text) return null;
          return (
            <li key={key} className="chip">
              <span className="chip__label">{FILTER_LABELS[key]}:</span> <span className="chip__value">{text}</span>
              <button type="button" className="chip__remove" aria-label={`Remove filter ${FILTER_LABELS[key]}: ${text}`} onClick={() => setFilters(clearFilter(filters, key))}>
                ×
              </button>
            </li>
          );
        })}
        {n > 1 ? (
          <li>
            <button type="button" className="button button--small" onClick={() => setFilters(NO_FILTERS)}>
              Clear all
            </button>
          </li>
        ) : null}
        {n === 0 ? <li className="muted small">No filters: brush a chart, click a type or select on the map.</li> : null}
      </ul>
    </section>
  );
}
