import type { SquareGridSpec } from '../../analysis/binning';
import { hotspotsPipeline, type HotspotCell } from '../../analysis/hotspots';
import type { RotationPlan } from '../../analysis/rotation';
import type { CountTable } from '../../analysis/suppression';
import type { TierMap } from '../../analysis/tiers';
import type { Db } from '../../data/db-types';
import { fetchSquareGridSpec } from '../../data/queries/cells';
import type { AreaFeature, QualityReport } from '../../data/types';
import { DEFAULT_SENSITIVE_CATEGORIES, type SensitiveCategory } from '../sensitive-types';
import { buildMap } from './map-svg';
import { defaultPeriods } from './periods';
import * as q from './queries';
import { planForBriefing, rotationRows } from './rotation-summary';
import { BriefingRefused, type Labelled, protect } from './tables';
import { headlineFigures, qualityFigures } from './figures';
import type { BriefingModel, Narrative, Period } from './types';

/**
 * Aggregate queries → count tables → complementary suppression → audit of what will be
 * published → BriefingModel. The app's dialog and the CLI both call this, then `renderBriefing`.
 */
export interface BriefingOptions {
  narrative: Narrative;
  areas: readonly AreaFeature[];
  tierMap: TierMap;
  quality: QualityReport;
  place?: string;
  /** default: last complete quarter vs the one before (periods.ts) */
  periods?: { current: Period; previous: Period };
  k?: number;
  categories?: readonly SensitiveCategory[];
  /** side of the published square cells; at least ~450 m so a cell covers ≥ 0.2 km² */
  cellMeters?: number;
  /** areas smaller than this are published only combined */
  minAreaKm2?: number;
  /** the analyst's plan; 'auto' plans with the defaults; null leaves the section out */
  rotation?: RotationPlan | 'auto' | null;
  /** 'YYYY-MM-DD'; default today */
  publishedOn?: string;
  table?: string;
}

export const TIER_KEYS = ['1', '2', '3', 'unknown'] as const;
const TIER_LABELS = ['Level 1 (minor)', 'Level 2 (suspicious)', 'Level 3 (urgent)', 'Tier unknown'];
export const NO_AREA = 'none';
export const SMALL_AREAS = 'small-areas';
export const NO_CELL = 'none';
const OUTCOME_COLUMNS = 6;
const DOW = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export async function buildBriefingModel(db: Db, o: BriefingOptions): Promise<BriefingModel> {
  const k = o.k ?? 10;
  if (!Number.isInteger(k) || k < 2 || k > 1000) throw new BriefingRefused(`k must be a whole number from 2 to 1000 (got ${k}).`, 'Use 10 unless your policy says otherwise.');
  const cellMeters = o.cellMeters ?? 500;
  const minAreaKm2 = o.minAreaKm2 ?? 0.2;
  if ((cellMeters / 1000) ** 2 < minAreaKm2) throw new BriefingRefused(`${cellMeters} m cells cover ${((cellMeters / 1000) ** 2).toFixed(2)} km², under the ${minAreaKm2} km² minimum.`, 'Use cells of at least 450 m.');
  const categories = o.categories ?? DEFAULT_SENSITIVE_CATEGORIES;
  await q.prepareBriefingCalls(db, categories, o.table);
  const [days] = await q.rows(db, q.dataDaysSql());
  if (!days?.first_day) throw new BriefingRefused('no call has a usable time.', 'Check the received-time column in the mapping.');
  const { current, previous } = o.periods ?? defaultPeriods(String(days.first_day), String(days.last_day));

  // Areas: too-small ones only as a combined group; calls outside every area as "not mapped".
  const areaName = new Map(o.areas.map((a) => [a.id, a.name]));
  const groupOf = new Map(o.areas.filter((a) => a.areaKm2 < minAreaKm2).map((a) => [a.id, SMALL_AREAS] as const));
  const areaKeys = [...o.areas.filter((a) => !groupOf.has(a.id)).map((a) => a.id).sort(), ...(groupOf.size ? [SMALL_AREAS] : []), NO_AREA];
  const areaLabel = (key: string) => (key === NO_AREA ? 'Not mapped to an area' : key === SMALL_AREAS ? `Small areas combined (${groupOf.size})` : (areaName.get(key) ?? key));
  const areaKeyOf = (id: unknown) => (id === null || id === undefined ? NO_AREA : (groupOf.get(String(id)) ?? (areaName.has(String(id)) ? String(id) : NO_AREA)));
  const tierKeyOf = (t: unknown) => (t === null || t === undefined ? 'unknown' : String(t));

  const areaTier = async (p: Period, name: string, title: string): Promise<Labelled> => {
    const counts = grid(areaKeys, TIER_KEYS);
    for (const r of await q.rows(db, q.areaTierSql(p, o.tierMap))) add(counts, areaKeys.indexOf(areaKeyOf(r.area_id)), TIER_KEYS.indexOf(tierKeyOf(r.tier) as never), r.n);
    return labelled({ name, rowDim: 'area', colDim: 'tier', rows: areaKeys, cols: [...TIER_KEYS], counts }, title, areaKeys.map(areaLabel), TIER_LABELS);
  };
  const weeks = async (p: Period, name: string, title: string): Promise<Labelled> => {
    const nWeeks = Math.ceil((Date.parse(p.end) - Date.parse(p.start)) / (7 * 86_400_000));
    const keys = Array.from({ length: nWeeks }, (_, i) => `w${String(i + 1).padStart(2, '0')}`);
    const counts = grid(keys, ['calls']);
    for (const r of await q.rows(db, q.weeksSql(p))) add(counts, Number(r.week), 0, r.n);
    const labels = keys.map((_, i) => weekLabel(p, i));
    return labelled({ name, rowDim: `week ${p.start}`, colDim: 'count', rows: keys, cols: ['calls'], counts, publish: { rowTotals: false } }, title, labels, ['Calls']);
  };

  // This period.
  const outcomeRows = await q.rows(db, q.tierOutcomeSql(current, o.tierMap));
  const byOutcome = new Map<string, number>();
  for (const r of outcomeRows) if (r.disposition !== null) byOutcome.set(String(r.disposition), (byOutcome.get(String(r.disposition)) ?? 0) + Number(r.n));
  const top = [...byOutcome].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, OUTCOME_COLUMNS).map(([d]) => d);
  const outcomeKeys = [...top, 'other', 'none'];
  const outcomeCounts = grid(TIER_KEYS, outcomeKeys);
  for (const r of outcomeRows) {
    const col = r.disposition === null ? 'none' : top.includes(String(r.disposition)) ? String(r.disposition) : 'other';
    add(outcomeCounts, TIER_KEYS.indexOf(tierKeyOf(r.tier) as never), outcomeKeys.indexOf(col), r.n);
  }
  const tierOutcome = labelled({ name: 'tier × outcome', rowDim: 'tier', colDim: 'outcome', rows: [...TIER_KEYS], cols: outcomeKeys, counts: outcomeCounts }, 'Outcomes by tier', TIER_LABELS, [...top.map(sentenceCase), 'Other outcomes', 'None recorded']);

  const hours = Array.from({ length: 24 }, (_, h) => String(h));
  const how = grid(['0', '1', '2', '3', '4', '5', '6'], hours);
  for (const r of await q.rows(db, q.hourOfWeekSql(current))) add(how, Number(r.dow), Number(r.hour), r.n);
  const hourOfWeek = labelled({ name: 'day × hour', rowDim: 'dow', colDim: 'hour', rows: ['0', '1', '2', '3', '4', '5', '6'], cols: hours, counts: how }, 'Calls by day of week and hour', DOW, hours.map((h) => `${h.padStart(2, '0')}:00`));

  const spec: SquareGridSpec = await fetchSquareGridSpec(db, cellMeters, q.BRIEFING_VIEW);
  const cellRows = await q.rows(db, q.cellsSql(current, spec));
  const located = cellRows.filter((r) => r.col !== null);
  const hot = await hotspotsPipeline({
    source: { grid: 'square', spec, col: Int32Array.from(located, (r) => Number(r.col)), row: Int32Array.from(located, (r) => Number(r.row)), counts: Float64Array.from(located, (r) => Number(r.n)) },
    params: { grid: 'square', cellMeters, neighbours: { kind: 'band' }, studyArea: o.areas.length ? 'areas' : 'bbox' },
    region: o.areas.map((a) => a.geometry),
  });
  const cellKeys = [...hot.cells.map((c) => c.id), NO_CELL];
  const cellCounts = grid(cellKeys, ['calls']);
  for (const [i, c] of hot.cells.entries()) add(cellCounts, i, 0, c.count);
  add(cellCounts, cellKeys.length - 1, 0, cellRows.filter((r) => r.col === null).reduce((a, r) => a + Number(r.n), 0));
  const cells = labelled(
    { name: 'cell', rowDim: 'cell', colDim: 'count', rows: cellKeys, cols: ['calls'], counts: cellCounts, publish: { rowTotals: false } },
    `Calls by ${cellMeters} m square`,
    cellKeys.map((key) => (key === NO_CELL ? 'No usable location' : `Square ${key.slice(2)}`)),
    ['Calls'],
  );

  const cur = protect('this period', [await areaTier(current, 'area × tier', 'Calls by area and tier'), tierOutcome, hourOfWeek, await weeks(current, 'weeks', 'Calls by week'), cells], k);
  const prev = protect('previous period', [await areaTier(previous, 'area × tier', 'Calls by area and tier, previous period'), await weeks(previous, 'weeks', 'Calls by week, previous period')], k);

  // Sensitive calls: citywide monthly totals over both periods, and the removed counts by category.
  const sensRows = await q.rows(db, q.sensitiveMonthsSql(previous.start, current.end));
  const months = monthsBetween(previous.start, current.end);
  const catIds = categories.map((c) => c.id);
  const byMonth = grid(months, ['sensitive']);
  const byCat = grid(catIds, ['sensitive']);
  for (const r of sensRows) {
    add(byMonth, months.indexOf(String(r.month)), 0, r.n);
    add(byCat, catIds.indexOf(String(r.category)), 0, r.n);
  }
  const sens = protect(
    'sensitive-call',
    [
      labelled({ name: 'sensitive by month', rowDim: 'month', colDim: 'kind', rows: months, cols: ['sensitive'], counts: byMonth, publish: { rowTotals: false } }, 'Sensitive calls by month (citywide)', months.map(monthLabel), ['Sensitive calls']),
      labelled({ name: 'sensitive by category', rowDim: 'category', colDim: 'kind', rows: catIds, cols: ['sensitive'], counts: byCat, publish: { rowTotals: false } }, 'Sensitive calls removed, by category', categories.map((c) => c.label), ['Removed']),
    ],
    k,
  );

  const [areaTierCur, tierOutcomePub, hourOfWeekPub, weeksCur, cellsPub] = cur.tables as [never, never, never, never, never];
  const [areaTierPrev, weeksPrev] = prev.tables as [never, never];
  const [sensMonths, sensCats] = sens.tables as [BriefingModel['tables']['sensitiveMonths'], BriefingModel['tables']['sensitiveMonths']];
  const { headline, areaChange } = headlineFigures(areaTierCur, areaTierPrev);

  const plan = o.rotation === 'auto' ? await planForBriefing(db, current, o.areas, o.tierMap) : (o.rotation ?? null);
  const hotCells: Pick<HotspotCell, 'id' | 'class'>[] = hot.cells;
  const map = buildMap({ areas: o.areas, groupOf, spec, cells: hotCells, areaLabel: (id) => areaName.get(id) ?? id });
  const count = (f: (c: string) => boolean) => hot.cells.filter((c) => f(c.class)).length;
  const band = hot.parameters.neighboursUsed;
  return {
    version: 1,
    narrative: o.narrative,
    publishedOn: o.publishedOn ?? new Date().toISOString().slice(0, 10),
    place: o.place ?? '',
    current,
    previous,
    k,
    headline,
    areaChange,
    tables: { areaTier: areaTierCur, tierOutcome: tierOutcomePub, hourOfWeek: hourOfWeekPub, weeks: weeksCur, weeksPrevious: weeksPrev, cells: cellsPub, areaTierPrevious: areaTierPrev, sensitiveMonths: sensMonths },
    map,
    hotspots: {
      cellMeters,
      hot: count((c) => c.startsWith('hot')),
      cold: count((c) => c.startsWith('cold')),
      cells: hot.cells.length,
      neighbourhood: band.kind === 'band' ? `squares whose centres lie within ${Math.round(band.bandMeters)} m (the touching squares)` : `${band.k} nearest squares`,
      correction: hot.parameters.correction,
    },
    rotation: plan
      ? {
          rows: rotationRows(plan, k, (id) => areaName.get(id) ?? id).map((r) => (groupOf.has(r.key) ? { ...r, minutesPerWeek: null, minutesSharePct: null, residentSharePct: null } : r)),
          evidence: `${plan.evidence.start.slice(0, 10)} to ${plan.evidence.end.slice(0, 10)}`,
          notes: [`Suggested by the planner from the ${plan.settings.evidenceDays} days before the period ended (officer-initiated calls ${plan.settings.includeSelfInitiated ? 'included' : 'left out'}). Minutes are per week, rounded to 10; areas with fewer than ${k} resident calls behind them are not shown.`],
        }
      : null,
    sensitive: {
      categories: sensCats.rows.map((r, i) => ({ id: r.key, label: r.label, removed: sensCats.cells[i]![0]! })),
      total: sensCats.grandTotal,
      months: `${monthLabel(months[0]!)} – ${monthLabel(months[months.length - 1]!)}`,
      note: 'Months at either end may be partial: only calls inside the two compared periods are counted.',
    },
    quality: qualityFigures(o.quality, sensCats.grandTotal === null),
    disclosure: {
      method: 'Threshold rule with complementary suppression over all linked tables and their margins, checked by an exact-elimination and interval audit (methods §9).',
      primary: cur.result.primary + prev.result.primary + sens.result.primary,
      secondary: cur.result.secondary + prev.result.secondary + sens.result.secondary,
      auditedCells: [cur, prev, sens].reduce((a, s) => a + Object.keys(s.result.cells).length, 0),
      auditOk: true,
      minAreaKm2,
    },
  };
}

function grid(rows: readonly string[], cols: readonly string[]): number[][] {
  return rows.map(() => cols.map(() => 0));
}

function add(counts: number[][], i: number, j: number, n: unknown): void {
  if (i < 0 || j < 0 || !counts[i] || counts[i]![j] === undefined) return;
  counts[i]![j] += Number(n);
}

function labelled(table: CountTable, title: string, rowLabels: readonly string[], colLabels: readonly string[]): Labelled {
  return { table, title, rowLabels, colLabels };
}

function weekLabel(p: Period, i: number): string {
  const start = Date.parse(`${p.start}T00:00:00Z`) + i * 7 * 86_400_000;
  const end = Math.min(start + 7 * 86_400_000, Date.parse(`${p.end}T00:00:00Z`));
  const days = Math.round((end - start) / 86_400_000);
  return `Week of ${new Date(start).toISOString().slice(0, 10)}${days < 7 ? ` (${days} day${days === 1 ? '' : 's'})` : ''}`;
}

function monthsBetween(start: string, endExclusive: string): string[] {
  const out: string[] = [];
  const last = new Date(Date.parse(`${endExclusive}T00:00:00Z`) - 86_400_000);
  for (let d = new Date(Date.parse(`${start.slice(0, 7)}-01T00:00:00Z`)); d <= last; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) out.push(d.toISOString().slice(0, 7));
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthLabel = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;
const sentenceCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();
