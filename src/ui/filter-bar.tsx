import { useMemo } from 'react';
import { getSelection, useDashboard } from '../state/dashboard-store';
import { kindRank as rank } from '../state/dashboard-view';
import { filterChips } from '../state/filter-chips';
import { formatCount } from './format';

/** The one headline count every view agrees with, and each active clause as a removable chip. */
// Chips in the fixed kind order, so a reopened link or saved view reads exactly as it was shared.
export function FilterBar({ total, areaNames }: { total: number; areaNames: ReadonlyMap<string, string> }) {
  const { clauses, results, loading, typeNames } = useDashboard();
  // A type is named as its bar names it (the text under the current filters), else by its most
  // common text in the whole dataset.
  const typeTexts = useMemo(() => {
    const m = new Map(typeNames);
    for (const t of results?.types ?? []) if (t.type_code !== null && t.type_text !== null) m.set(t.type_code, t.type_text);
    return m;
  }, [typeNames, results]);
  const chips = useMemo(
    () => filterChips([...clauses].sort((a, b) => rank(a.spec.kind) - rank(b.spec.kind)), { typeTexts, areaNames }),
    [clauses, typeTexts, areaNames],
  );
  return (
    <section className="filter-bar" aria-label="Active filters">
      <p className="filter-bar__count" aria-live="polite" aria-busy={loading}>
        <strong data-testid="matching-count">{results ? formatCount(results.count) : '…'}</strong> of {formatCount(total)} calls
        {loading ? <span className="filter-bar__busy"> updating…</span> : null}
      </p>
      <ul className="chips">
        {chips.map((chip) => (
          <li key={chip.id} className="chip">
            <span className="chip__label">{chip.title}:</span> <span className="chip__value">{chip.value}</span>
            <button type="button" className="chip__remove" aria-label={`Remove filter ${chip.title}: ${chip.value}`} onClick={() => getSelection().remove(chip.id)}>
              ×
            </button>
          </li>
        ))}
        {chips.length > 1 ? (
          <li>
            <button type="button" className="button button--small" onClick={() => getSelection().replaceAll([])}>
              Clear all
            </button>
          </li>
        ) : null}
        {chips.length === 0 ? <li className="muted small">No filters: brush a chart, click a type or select on the map.</li> : null}
      </ul>
    </section>
  );
}
