import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { Tier } from '../analysis/tiers';
import type { HeatmapBrush } from '../charts/hour-of-week-heatmap';
import type { TierKey } from '../charts/type-bars';
import { areasClause, type Clause, tiersClause, timeClause, typesClause } from '../state/clauses';
import { getDashboard, setSourceClauses, updateDashboard, useDashboard } from '../state/dashboard-store';
import { heatmapBrushClauses, heatmapBrushOf } from '../state/heatmap-clauses';
import { useSession } from '../state/session-store';
import { VIEW_IDS } from '../state/view-clients';
import { AreaTable } from './charts/area-table';
import { HourOfWeekHeatmap } from './charts/hour-of-week-heatmap';
import { TimeSeries } from './charts/time-series';
import { TypeBars } from './charts/type-bars';
import { Playback } from './playback';
import { resolveTierMap } from './triage/use-tier-map';

const isDay = (t: string) => /^\d{4}-\d{2}-\d{2}$/.test(t);

/** The tier map the analyst confirmed (Triage tab, a preset or the dataset's config), never a mere suggestion. */
function useConfirmedTierMap(): void {
  const session = useSession();
  const dataset = session.datasetName ?? 'calls';
  const columns = session.report?.files[0]?.columns;
  useEffect(() => {
    if (!columns) return;
    let stale = false;
    resolveTierMap(dataset, columns, async () => []).then(
      (r) => {
        const map = r.source === 'suggested' ? null : r.map;
        if (!stale && JSON.stringify(map) !== JSON.stringify(getDashboard().tierMap)) updateDashboard({ tierMap: map });
      },
      () => undefined,
    );
    return () => {
      stale = true;
    };
  }, [dataset, columns]);
}

/** The cross-filtered charts; each reads the shared selection and writes its own clauses. */
export function ChartsPanel() {
  const { results, clauses, comparison, error, tierMap, areaKm2 } = useChartsState();
  useConfirmedTierMap();
  // Every step makes new clauses; the views' props keep their identity while their content
  // holds, so a memoised chart whose own inputs did not change skips its redraw.
  const brush = useSameValue(useMemo(() => heatmapBrushOf(clauses), [clauses]));
  const time = clauses.find((c) => c.spec.kind === 'time');
  const dates = useSameValue(time?.spec.kind === 'time' && isDay(time.spec.start) && isDay(time.spec.end) ? ([time.spec.start, time.spec.end] as [string, string]) : null);
  const typeCodes = useSameValue(useMemo(() => clauses.flatMap((c) => (c.spec.kind === 'types' ? c.spec.codes : [])), [clauses]));
  const typeTier = tierOfBars(clauses);
  const areaIds = useSameValue(useMemo(() => clauses.flatMap((c) => (c.spec.kind === 'areas' ? c.spec.ids : [])), [clauses]));
  const areaRows = useMemo(
    () => (results?.areas ?? []).map((r) => ({ ...r, per_km2: r.area_id !== null && areaKm2.get(r.area_id) ? r.n / areaKm2.get(r.area_id)! : null })),
    [results?.areas, areaKm2],
  );
  const set = useCallback((source: string, make: () => Clause[]) => setSourceClauses(source, make()), []);
  const onHeatmapBrush = useCallback((b: HeatmapBrush | null) => set(VIEW_IDS.heatmap, () => heatmapBrushClauses(b)), [set]);
  const onSeriesBrush = useCallback((d: [string, string] | null) => set(VIEW_IDS.timeSeries, () => (d ? [timeClause(VIEW_IDS.timeSeries, d[0], d[1])] : [])), [set]);
  const onTypes = useCallback((codes: (string | null)[]) => set(VIEW_IDS.typeBars, () => (codes.length ? [typesClause(VIEW_IDS.typeBars, codes)] : [])), [set]);
  // Types and a tier from the bars replace each other (one source): "Level 3 AND type X" is
  // usually empty or just type X, which would read as a bug.
  const onTier = useCallback(
    (tier: TierKey | null) => set(VIEW_IDS.typeBars, () => (tier && tierMap ? [tiersClause(VIEW_IDS.typeBars, [tier === 'unknown' ? null : (Number(tier) as Tier)], tierMap)] : [])),
    [set, tierMap],
  );
  const onAreas = useCallback((ids: (string | null)[]) => set(VIEW_IDS.areaTable, () => (ids.length ? [areasClause(VIEW_IDS.areaTable, ids)] : [])), [set]);
  if (!results) return <p className="muted">Load a calls file to see the charts.</p>;
  return (
    <div className="charts-panel">
      {error ? <p className="field-error">{error}</p> : null}
      <HourOfWeekHeatmap data={results.hourOfWeek} brush={brush} onBrush={onHeatmapBrush} />
      <Playback />
      <TimeSeries data={results.series} dates={dates} onBrush={onSeriesBrush} />
      <TypeBars
        data={results.types}
        selected={typeCodes}
        groupByTier={Boolean(tierMap)}
        onSelect={onTypes}
        selectedTier={typeTier}
        onSelectTier={onTier}
      />
      {areaRows.length ? (
        <AreaTable
          rows={areaRows}
          comparison={time ? comparison : null}
          selected={areaIds}
          onSelect={onAreas}
        />
      ) : null}
    </div>
  );
}

function useChartsState() {
  const dash = useDashboard();
  const session = useSession();
  const areaKm2 = useMemo(() => new Map((session.areaFeatures ?? []).map((a) => [a.id, a.areaKm2])), [session.areaFeatures]);
  return { ...dash, areaKm2 };
}

/** The tier heading the bars pressed: their tiers clause when it holds exactly one tier. */
function tierOfBars(clauses: readonly Clause[]): TierKey | null {
  const c = clauses.find((x) => x.source === VIEW_IDS.typeBars && x.spec.kind === 'tiers');
  if (c?.spec.kind !== 'tiers' || c.spec.tiers.length !== 1) return null;
  const t = c.spec.tiers[0];
  return t === null || t === undefined ? 'unknown' : (String(t) as TierKey);
}

/** The previous value while the new one has the same content (JSON of a few codes or ids), so memoised views keep their props. */
function useSameValue<T>(value: T): T {
  const last = useRef(value);
  if (JSON.stringify(last.current) !== JSON.stringify(value)) last.current = value;
  return last.current;
}
