import './triage.css';
import { useEffect, useState } from 'react';
import type { TypeSummary } from '../../analysis/tier-suggest';
import type { Db } from '../../data/db-types';
import type { Sql } from '../../data/sql';
import { getDb } from '../../state/db';
import { useSession } from '../../state/session-store';
import { type EquitySection, equitySection, type OutcomesSection, outcomesSection, populationOf, type TiersSection, tiersSection } from '../../state/triage-report';
import { type CsvValue, toCsvRecords } from '../../export/csv';
import { downloadText, formatCount } from '../format';
import { RecurrenceChart } from './recurrence-chart';
import { SortableTable } from './sortable-table';
import { TierMapEditor } from './tier-map-editor';
import { saveTierMap } from './saved-tier-map';
import { loadTypes, suggest, useInitialTierMap } from './use-tier-map';

const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(1)}%`);
const rate = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const min = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(1));
const TIER = ['L1', 'L2', 'L3', 'unknown'];
const LIST_COLUMNS = ['call_id', 'received_at', 'initial_type_code', 'initial_type_text', 'initial_tier', 'type_code', 'type_text', 'final_tier', 'area_name', 'block_address'];

/** The Triage tab: tier map, mix, audit, outcomes and equity over the cross-filtered calls. */
export function TriagePanel(props: { where?: Sql }) {
  const session = useSession();
  const dataset = session.datasetName ?? 'calls';
  const columns = session.report?.files[0]?.columns ?? [];
  const [db, setDb] = useState<Db | null>(null);
  const [types, setTypes] = useState<TypeSummary[] | null>(null);
  const [report, setReport] = useState<{ tiers: TiersSection; outcomes: OutcomesSection; equity: EquitySection } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [storageProblem, setStorageProblem] = useState<string | null>(null);
  const [tierMap, setTierMap] = useInitialTierMap(db, dataset, columns, types);

  useEffect(() => {
    if (!session.report) return;
    getDb().then(async (d) => {
      setDb(d);
      setTypes(await loadTypes(d));
    }, (e: unknown) => setError(String(e)));
  }, [session.report]);

  useEffect(() => {
    if (!db || !tierMap) return;
    let cancelled = false;
    const population = populationOf(session.areaFeatures ?? []);
    const opts = { listLimit: 500, population, ...(props.where ? { where: props.where } : {}) };
    (async () => {
      const tiers = await tiersSection(db, tierMap.map, opts);
      const outcomes = await outcomesSection(db, tierMap.map, opts);
      const equity = await equitySection(db, tierMap.map, opts);
      return { tiers, outcomes, equity };
    })().then(
      (r) => {
        if (cancelled) return;
        setReport(r);
        (window as unknown as { __callsightTriage?: unknown }).__callsightTriage = { underTriaged: r.tiers.underTriaged.total, severe: r.tiers.underTriaged.severe, band: r.tiers.bands.toLevel3[0] ?? null };
      },
      (e: unknown) => !cancelled && setError(`The triage queries failed: ${String(e)}. Check the tier map (a pattern may not run in the database).`),
    );
    return () => {
      cancelled = true;
    };
  }, [db, tierMap, props.where, session.areaFeatures]);

  if (!session.report) return <p className="note">Load a call log to see triage tiers, outcomes and equity.</p>;
  if (error) return <p role="alert">{error}</p>;
  if (!tierMap || !types) return <p role="status">Preparing the tier map…</p>;
  const t = report?.tiers;
  const o = report?.outcomes;
  const e = report?.equity;
  return (
    <div className="triage-panel">
      {(storageProblem ?? tierMap.problem) ? (
        <p className="note" role="status">
          {storageProblem ?? tierMap.problem}
        </p>
      ) : null}
      <TierMapEditor
        map={tierMap.map}
        source={tierMap.source}
        types={types}
        {...(tierMap.suggestions ? { suggestions: tierMap.suggestions } : {})}
        onSuggest={() => setTierMap({ ...suggest(types), source: 'suggested' })}
        onChange={(map, source) => {
          setStorageProblem(saveTierMap(dataset, map));
          setTierMap({ map, source });
        }}
      />
      {!t || !o || !e ? (
        <p role="status">Computing…</p>
      ) : (
        <>
          <section className="panel-section" aria-labelledby="tier-mix-heading">
            <h3 id="tier-mix-heading">Tier mix</h3>
            <p>{t.mix.byTier.map((m) => `${m.tier === null ? 'unknown' : `Level ${m.tier}`}: ${formatCount(m.n)} (${pct(m.share)})`).join(' · ')}</p>
            <SortableTable
              caption="Calls by area and tier"
              rows={areaTierRows(t)}
              columns={[
                { key: 'area', label: 'Area', value: (r) => r.area },
                ...[0, 1, 2, 3].map((i) => ({ key: `t${i}`, label: TIER[i]!, value: (r: ReturnType<typeof areaTierRows>[number]) => r.counts[i]!, numeric: true })),
              ]}
            />
            <SortableTable
              caption="Calls by hour of week and tier (busiest first; sort by any column)"
              rows={hourOfWeekTierRows(t)}
              maxRows={50}
              columns={[
                { key: 'when', label: 'Hour of week', value: (r) => r.key, render: (r) => `${DAY_NAMES[r.dow]} ${String(r.hour).padStart(2, '0')}:00` },
                { key: 'l1', label: 'L1', value: (r) => r.counts[0]!, numeric: true },
                { key: 'l2', label: 'L2', value: (r) => r.counts[1]!, numeric: true },
                { key: 'l3', label: 'L3', value: (r) => r.counts[2]!, numeric: true },
                { key: 'total', label: 'All', value: (r) => r.total, numeric: true },
              ]}
            />
            <h4>Referral opportunities</h4>
            <SortableTable
              caption="Level 1 calls that could go to a non-police service"
              rows={t.referralOpportunities}
              columns={[
                { key: 'area', label: 'Area', value: (r) => r.areaName ?? r.areaId },
                { key: 'type', label: 'Type', value: (r) => r.typeText ?? r.typeCode },
                { key: 'category', label: 'Category', value: (r) => r.category },
                { key: 'n', label: 'Calls', value: (r) => r.n, numeric: true },
              ]}
            />
          </section>
          <section className="panel-section" aria-labelledby="audit-heading">
            <h3 id="audit-heading">Misclassification audit</h3>
            <table>
              <caption>Initial tier (rows) × final tier (columns)</caption>
              <thead>
                <tr>
                  <th scope="col">initial \ final</th>
                  {TIER.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.audit.matrix.map((row, i) => (
                  <tr key={TIER[i]}>
                    <th scope="row">{TIER[i]}</th>
                    {row.map((n, j) => (
                      <td key={TIER[j]} className={`num${i < 3 && j < 3 && i < j ? ' cell-under' : ''}`}>
                        {formatCount(n)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              Under-triage <strong data-testid="under-triage-count">{formatCount(t.audit.underTriage.count)}</strong> of {formatCount(t.audit.bothKnown)} ({pct(t.audit.underTriage.rate)}); Level 1 → 3:{' '}
              {formatCount(t.audit.severeUnderTriage.count)}; over-triage {formatCount(t.audit.overTriage.count)} ({pct(t.audit.overTriage.rate)}).
            </p>
            <p className="definition">{t.definitions.underTriage}</p>
            <h4>Where under-triage to Level 3 concentrates (type × hour bands)</h4>
            <p className="definition">{t.definitions.band}</p>
            <SortableTable
              caption="Hour bands by initial type"
              rows={t.bands.toLevel3}
              highlight={() => true}
              columns={[
                { key: 'type', label: 'Initial type', value: (b) => b.type },
                { key: 'band', label: 'Hours', value: (b) => `${String(b.startHour).padStart(2, '0')}:00–${String(b.endHour).padStart(2, '0')}:00` },
                { key: 'events', label: 'Became Level 3', value: (b) => b.events, numeric: true },
                { key: 'total', label: 'Calls', value: (b) => b.total, numeric: true },
                { key: 'rate', label: 'Rate', value: (b) => b.rate, render: (b) => pct(b.rate), numeric: true },
                { key: 'typeRate', label: 'Type, all hours', value: (b) => b.typeRate, render: (b) => pct(b.typeRate), numeric: true },
              ]}
            />
            {(['type', 'area', 'hour'] as const).map((k) => (
              <SortableTable
                key={k}
                caption={`Under-triage by ${k} (flagged rows highlighted)`}
                rows={t.concentrations[k].groups}
                highlight={(g) => g.flagged}
                maxRows={60}
                columns={[
                  { key: 'key', label: k, value: (g) => g.key },
                  { key: 'count', label: 'Under', value: (g) => g.count, numeric: true },
                  { key: 'total', label: 'Calls', value: (g) => g.total, numeric: true },
                  { key: 'rate', label: 'Rate', value: (g) => g.rate, render: (g) => pct(g.rate), numeric: true },
                  { key: 'q', label: 'q', value: (g) => g.q, render: (g) => (g.q === null ? '–' : g.q.toPrecision(2)), numeric: true },
                  { key: 'flag', label: 'Flagged', value: (g) => (g.flagged ? 'yes' : '') },
                ]}
              />
            ))}
            <h4>Under-triaged calls ({formatCount(t.underTriaged.total)})</h4>
            <button type="button" onClick={() => downloadText(`${dataset.replace(/[^\w.-]+/g, '_')}-under-triaged.csv`, toCsvRecords(t.underTriaged.list, LIST_COLUMNS.map((c) => [c, (r: Record<string, unknown>) => csvValue(c, r[c])] as const)))}>
              Download CSV
            </button>
            <SortableTable
              caption="Under-triaged calls, most severe and most recent first"
              rows={t.underTriaged.list}
              maxRows={100}
              columns={[
                { key: 'id', label: 'Call', value: (r) => String(r.call_id) },
                { key: 'at', label: 'Received', value: (r) => (r.received_at == null ? null : new Date(Number(r.received_at)).toISOString().slice(0, 16).replace('T', ' ')) },
                { key: 'initial', label: 'Entered as', value: (r) => `${r.initial_type_text ?? r.initial_type_code} (L${r.initial_tier})` },
                { key: 'final', label: 'Ended as', value: (r) => `${r.type_text ?? r.type_code} (L${r.final_tier})` },
                { key: 'area', label: 'Area', value: (r) => (r.area_name == null ? null : String(r.area_name)) },
              ]}
            />
          </section>
          <section className="panel-section" aria-labelledby="outcomes-heading">
            <h3 id="outcomes-heading">Outcomes</h3>
            <SortableTable
              caption="Dispositions by tier (top three)"
              rows={o.dispositions.byTier}
              columns={[
                { key: 'tier', label: 'Tier', value: (g) => g.key },
                { key: 'total', label: 'Calls', value: (g) => g.total, numeric: true },
                { key: 'top', label: 'Top dispositions', value: (g) => g.items.slice(0, 3).map((i) => `${i.disposition} ${pct(i.share)}`).join(', ') },
              ]}
            />
            <SortableTable
              caption="Dispositions by area (top three)"
              rows={o.dispositions.byArea}
              maxRows={80}
              columns={[
                { key: 'area', label: 'Area', value: (g) => g.areaName ?? g.areaId },
                { key: 'total', label: 'Calls', value: (g) => g.total, numeric: true },
                { key: 'top', label: 'Top dispositions', value: (g) => g.items.slice(0, 3).map((i) => `${i.disposition} ${pct(i.share)}`).join(', ') },
              ]}
            />
            <h4>Recurrence</h4>
            <RecurrenceChart series={o.recurrence.byTier} />
            <SortableTable
              caption="Recurrence at 30, 60 and 90 days by tier"
              rows={o.recurrence.byTier.flatMap((s) => s.horizons.map((h) => ({ key: s.key, ...h })))}
              columns={[
                { key: 'tier', label: 'Tier', value: (r) => r.key },
                { key: 'days', label: 'Days', value: (r) => r.days, numeric: true },
                { key: 'judged', label: 'Judged', value: (r) => r.judged, numeric: true },
                { key: 'rec', label: 'Recurred', value: (r) => r.recurrenceRate, render: (r) => pct(r.recurrenceRate), numeric: true },
                { key: 'recent', label: 'Too recent', value: (r) => r.tooRecent, numeric: true },
              ]}
            />
            <dl className="definitions">
              {Object.entries(o.definitions).map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section className="panel-section" aria-labelledby="equity-heading">
            <h3 id="equity-heading">Equity</h3>
            <p className="definition">{e.definitions.longWait}</p>
            <SortableTable
              caption={`Arrival times by area (city p90 ${min(e.longWaits.cityP90Minutes)} min; flagged rows highlighted)`}
              rows={e.slowAreas.all.areas}
              highlight={(a) => e.flaggedAreas.some((f) => f.areaId === a.areaId)}
              columns={[
                { key: 'area', label: 'Area', value: (a) => a.areaName ?? a.areaId },
                { key: 'valid', label: 'Calls', value: (a) => a.valid, numeric: true },
                { key: 'median', label: 'Median min', value: (a) => a.medianMinutes, render: (a) => min(a.medianMinutes), numeric: true },
                { key: 'p90', label: 'p90 min', value: (a) => a.p90Minutes, render: (a) => min(a.p90Minutes), numeric: true },
                { key: 'flag', label: 'Long waits', value: (a) => (e.flaggedAreas.some((f) => f.areaId === a.areaId) ? 'flagged' : '') },
              ]}
            />
            <SortableTable
              caption="Arrival times by tier"
              rows={e.response.filter((r) => r.measure === 'arrive' && (r.grouping === 'tier' || r.grouping === 'all'))}
              columns={[
                { key: 'tier', label: 'Tier', value: (r) => (r.grouping === 'all' ? 'all' : r.tier) },
                { key: 'valid', label: 'Calls', value: (r) => r.valid, numeric: true },
                { key: 'median', label: 'Median min', value: (r) => r.medianMinutes, render: (r) => min(r.medianMinutes), numeric: true },
                { key: 'p90', label: 'p90 min', value: (r) => r.p90Minutes, render: (r) => min(r.p90Minutes), numeric: true },
                { key: 'missing', label: 'Missing', value: (r) => r.missing, numeric: true },
              ]}
            />
            <SortableTable
              caption={`Arrival by distance band (Spearman rho ${e.distance.spearman.rho?.toFixed(3) ?? '–'} over ${formatCount(e.distance.spearman.n)} calls)`}
              rows={e.distance.bands}
              columns={[
                { key: 'band', label: 'km', value: (b) => (b.band === null ? 'no location' : `${min(b.minKm)}–${min(b.maxKm)}`) },
                { key: 'calls', label: 'Calls', value: (b) => b.calls, numeric: true },
                { key: 'median', label: 'Median min', value: (b) => b.medianMinutes, render: (b) => min(b.medianMinutes), numeric: true },
                { key: 'p90', label: 'p90 min', value: (b) => b.p90Minutes, render: (b) => min(b.p90Minutes), numeric: true },
              ]}
            />
            <p className="definition">{e.definitions.distance}</p>
            {e.channel.hasData ? (
              <SortableTable
                caption={`Online or app share of resident calls (city ${pct(e.channel.digital.cityShare)})`}
                rows={e.channel.digital.areas}
                highlight={(a) => a.flagged}
                columns={[
                  { key: 'area', label: 'Area', value: (a) => a.areaName ?? a.areaId },
                  { key: 'known', label: 'Resident calls', value: (a) => a.known, numeric: true },
                  { key: 'share', label: 'Online/app', value: (a) => a.share, render: (a) => pct(a.share), numeric: true },
                  { key: 'flag', label: 'Low access', value: (a) => (a.flagged ? 'flagged' : '') },
                ]}
              />
            ) : (
              <p>This dataset has no reporting-channel column.</p>
            )}
            {e.rates.length > 0 ? (
              <SortableTable
                caption="Calls per 1,000 residents by area (population from the areas file)"
                rows={e.rates}
                columns={[
                  { key: 'area', label: 'Area', value: (a) => a.areaName ?? a.areaId },
                  { key: 'population', label: 'Residents', value: (a) => a.population, numeric: true },
                  { key: 'calls', label: 'Calls', value: (a) => a.calls, numeric: true },
                  { key: 'rate', label: 'Per 1,000', value: (a) => a.perThousand, render: (a) => rate(a.perThousand), numeric: true },
                  { key: 'residentRate', label: 'Resident calls per 1,000', value: (a) => a.residentPerThousand, render: (a) => rate(a.residentPerThousand), numeric: true },
                ]}
              />
            ) : (
              <p>Rates per resident need a numeric <code>population</code> property in the areas file.</p>
            )}
            <SortableTable
              caption="Self-initiated vs resident calls by area"
              rows={e.initiation}
              columns={[
                { key: 'area', label: 'Area', value: (a) => a.areaName ?? a.areaId },
                { key: 'calls', label: 'Calls', value: (a) => a.calls, numeric: true },
                { key: 'self', label: 'Self-initiated', value: (a) => a.selfShare, render: (a) => pct(a.selfShare), numeric: true },
                { key: 'resident', label: 'Resident', value: (a) => a.residentShare, render: (a) => pct(a.residentShare), numeric: true },
              ]}
            />
          </section>
        </>
      )}
    </div>
  );
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** One row per hour of the week with the tiers side by side, busiest first (unknown tier counts in All). */
function hourOfWeekTierRows(t: TiersSection): { key: number; dow: number; hour: number; counts: number[]; total: number }[] {
  const by = new Map<number, { key: number; dow: number; hour: number; counts: number[]; total: number }>();
  for (const r of t.mix.byHourOfWeek) {
    const key = r.dow * 24 + r.hour;
    const row = by.get(key) ?? { key, dow: r.dow, hour: r.hour, counts: [0, 0, 0, 0], total: 0 };
    row.counts[r.tier === null ? 3 : r.tier - 1]! += r.n;
    row.total += r.n;
    by.set(key, row);
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.key - b.key);
}

function areaTierRows(t: TiersSection): { area: string; counts: number[] }[] {
  const by = new Map<string, number[]>();
  for (const r of t.mix.byArea) {
    const k = r.areaName ?? r.areaId ?? '(no area)';
    const c = by.get(k) ?? [0, 0, 0, 0];
    c[r.tier === null ? 3 : r.tier - 1]! += r.n;
    by.set(k, c);
  }
  return [...by].map(([area, counts]) => ({ area, counts }));
}

// received_at arrives as epoch milliseconds of the agency's wall-clock time (no zone), so it is
// written as that wall-clock time, not as a UTC instant a spreadsheet would shift.
function csvValue(column: string, v: unknown): CsvValue {
  if (v === null || v === undefined) return null;
  if (column === 'received_at' && (typeof v === 'number' || typeof v === 'bigint')) return new Date(Number(v)).toISOString().slice(0, 19).replace('T', ' ');
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string' || v instanceof Date) return v;
  return String(v);
}
