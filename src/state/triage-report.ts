import { type AreaDigitalShare, DIGITAL_CHANNELS, DIGITAL_DEFINITION, lowDigitalAccess } from '../analysis/channel-access';
import { EQUITY_DEFINITIONS, initiationShares, ratesPer1000, type ResponseRow, type SlowAreaFlag, sharesByArea, slowAreas } from '../analysis/equity';
import { type AreaWaitResult, LONG_WAIT_DEFINITION, longWaitAreas } from '../analysis/long-waits';
import { type DispositionGroup, dispositionShares } from '../analysis/outcomes';
import { RECURRENCE_DEFINITIONS, type RecurrenceSummary, recurrenceFromHistogram } from '../analysis/recurrence';
import { BAND_DEFINITION, type TriageBand, type TypeHourGroup, typeHourBands } from '../analysis/triage-bands';
import { type ConcentrationResult, TRIAGE_DEFINITIONS, type Tier, type TierMap, type TriageAudit, triageAudit, underTriageConcentration } from '../analysis/tiers';
import type { Db } from '../data/db-types';
import { channelMixByArea, initiationByArea, responseByDistanceBand, responseDistanceSpearman, responseTimes } from '../data/queries/equity';
import { dispositionsByTierArea, recurrenceHistogram } from '../data/queries/outcomes';
import { arrivalsAboveCityP90, triageByTypeHour, underTriageTransitions } from '../data/queries/triage-bands';
import { referralOpportunities, type TriageBreakdown, tierMixByArea, tierMixByHourOfWeek, triageByGroup, triageConfusion, underTriagedCalls } from '../data/queries/tiers';
import { type Row, toRows } from '../data/rows';
import { type Sql, sql } from '../data/sql';

/**
 * The triage, outcomes and equity report as plain records: one sequence of queries over the
 * `calls` table shared by the CLI (`--tiers --outcomes --equity`) and the Triage panel, so
 * both show the same numbers. `where` is the dashboard's cross-filter clause.
 */
export interface TriageReportOptions {
  where?: Sql;
  /** rows of the under-triaged case list to return (the count is always exact) */
  listLimit?: number;
  /** distance origin when no stations are known (default the mean of the points) */
  centre?: { lon: number; lat: number };
  minCount?: number;
  /** residents per area id (an optional `population` property of the areas file) for rates */
  population?: Readonly<Record<string, number>>;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => Number(v ?? 0);
const tierOf = (v: unknown): Tier | null => (v === 1 || v === 2 || v === 3 ? v : null);

async function rows(db: Db, q: Sql): Promise<Row[]> {
  return toRows(await db.query(q));
}

export interface Concentration {
  overallRate: number;
  flagged: ConcentrationResult[];
  groups: ConcentrationResult[];
}

export interface TiersSection {
  definitions: typeof TRIAGE_DEFINITIONS & { band: string };
  mix: {
    byTier: { tier: Tier | null; n: number; share: number }[];
    byArea: { areaId: string | null; areaName: string | null; tier: Tier | null; n: number }[];
    byHourOfWeek: { dow: number; hour: number; tier: Tier | null; n: number }[];
  };
  referralOpportunities: { areaId: string | null; areaName: string | null; category: string | null; typeCode: string | null; typeText: string | null; n: number }[];
  audit: TriageAudit;
  concentrations: Record<'type' | 'initialType' | 'area' | 'hour', Concentration>;
  /** hour bands per initial type: under-triage of any kind, and under-triage to Level 3 */
  bands: { under: TriageBand[]; toLevel3: TriageBand[]; groups: { under: TypeHourGroup[]; toLevel3: TypeHourGroup[] } };
  transitions: { initialType: string | null; initialText: string | null; initialTier: Tier | null; finalType: string | null; finalText: string | null; finalTier: Tier | null; n: number }[];
  underTriaged: { total: number; severe: number; list: Row[] };
}

export async function tiersSection(db: Db, map: TierMap, o: TriageReportOptions = {}): Promise<TiersSection> {
  const opts = o.where ? { where: o.where } : {};
  const minCount = o.minCount ?? 20;
  const byArea = (await rows(db, tierMixByArea(map, opts))).map((r) => ({ areaId: str(r.area_id), areaName: str(r.area_name), tier: tierOf(r.tier), n: num(r.n) }));
  const tierTotals = new Map<Tier | null, number>();
  for (const r of byArea) tierTotals.set(r.tier, (tierTotals.get(r.tier) ?? 0) + r.n);
  const all = [...tierTotals.values()].reduce((s, n) => s + n, 0);
  const byTier = ([1, 2, 3, null] as const).map((tier) => ({ tier, n: tierTotals.get(tier) ?? 0, share: all > 0 ? (tierTotals.get(tier) ?? 0) / all : Number.NaN }));
  const byHourOfWeek = (await rows(db, tierMixByHourOfWeek(map, opts))).map((r) => ({ dow: num(r.dow), hour: num(r.hour), tier: tierOf(r.tier), n: num(r.n) }));
  const referral = (await rows(db, referralOpportunities(map, opts))).map((r) => ({
    areaId: str(r.area_id),
    areaName: str(r.area_name),
    category: str(r.category),
    typeCode: str(r.type_code),
    typeText: str(r.type_text),
    n: num(r.n),
  }));
  const audit = triageAudit((await rows(db, triageConfusion(map, opts))).map((r) => ({ initialTier: tierOf(r.initial_tier), finalTier: tierOf(r.final_tier), count: num(r.n) })));

  const concentration = async (by: TriageBreakdown): Promise<Concentration> => {
    const groups = (await rows(db, triageByGroup(map, by, opts))).map((r) => ({ key: str(r.key) ?? '(none)', count: num(r.under), total: num(r.total) }));
    // Every breakdown is tested against the same city-wide rate, so flags are comparable across tables.
    const result = underTriageConcentration(groups, { minCount, ...(audit.bothKnown > 0 ? { overallRate: audit.underTriage.rate } : {}) });
    return { overallRate: result.overallRate, flagged: result.groups.filter((g) => g.flagged), groups: result.groups };
  };
  const typeHour = await rows(db, triageByTypeHour(map, opts));
  const counts = (field: 'under' | 'to_level3') => typeHour.map((r) => ({ type: String(r.type), hour: num(r.hour), total: num(r.total), events: num(r[field]) }));
  const under = typeHourBands(counts('under'), { minCount });
  const toLevel3 = typeHourBands(counts('to_level3'), { minCount });
  const transitions = (await rows(db, underTriageTransitions(map, opts))).map((r) => ({
    initialType: str(r.initial_type),
    initialText: str(r.initial_text),
    initialTier: tierOf(r.initial_tier),
    finalType: str(r.final_type),
    finalText: str(r.final_text),
    finalTier: tierOf(r.final_tier),
    n: num(r.n),
  }));
  const list = await rows(db, underTriagedCalls(map, { ...opts, limit: o.listLimit ?? 200 }));
  return {
    definitions: { ...TRIAGE_DEFINITIONS, band: BAND_DEFINITION },
    mix: { byTier, byArea, byHourOfWeek },
    referralOpportunities: referral,
    audit,
    concentrations: {
      type: await concentration('type'),
      initialType: await concentration('initialType'),
      area: await concentration('area'),
      hour: await concentration('hour'),
    },
    bands: { under: under.bands, toLevel3: toLevel3.bands, groups: { under: under.groups, toLevel3: toLevel3.groups } },
    transitions,
    underTriaged: { total: audit.underTriage.count, severe: audit.severeUnderTriage.count, list },
  };
}

export interface OutcomesSection {
  definitions: typeof RECURRENCE_DEFINITIONS;
  dispositions: { byTier: DispositionGroup[]; byArea: DispositionGroup[]; all: DispositionGroup | null };
  recurrence: { horizons: number[]; all: RecurrenceSummary | null; byTier: RecurrenceSummary[] };
}

export async function outcomesSection(db: Db, map: TierMap, o: TriageReportOptions = {}): Promise<OutcomesSection> {
  const opts = o.where ? { where: o.where } : {};
  const disp = (await rows(db, dispositionsByTierArea(map, opts))).map((r) => ({
    tier: r.tier === null ? null : num(r.tier),
    areaId: str(r.area_id),
    areaName: str(r.area_name),
    disposition: str(r.disposition),
    n: num(r.n),
  }));
  const horizons = [30, 60, 90];
  const bins = (await rows(db, recurrenceHistogram(map, { ...opts, by: 'tier' }))).map((r) => ({
    key: str(r.key),
    hasPlace: Boolean(r.has_place),
    followBin: num(r.follow_bin),
    recurBin: r.recur_bin === null ? null : num(r.recur_bin),
    n: num(r.n),
  }));
  const [all] = recurrenceFromHistogram(
    bins.map((b) => ({ ...b, key: 'all' })),
    { horizons },
  );
  return {
    definitions: RECURRENCE_DEFINITIONS,
    dispositions: { byTier: dispositionShares(disp, 'tier'), byArea: dispositionShares(disp, 'area'), all: dispositionShares(disp, 'all')[0] ?? null },
    recurrence: { horizons, all: all ?? null, byTier: recurrenceFromHistogram(bins, { horizons }) },
  };
}

export interface EquitySection {
  definitions: typeof EQUITY_DEFINITIONS & { digital: string; longWait: string };
  response: ResponseRow[];
  /** arrival (received → first on scene), all tiers and per tier */
  slowAreas: { all: { cityP90Minutes: number | null; areas: SlowAreaFlag[] }; byTier: Record<string, { cityP90Minutes: number | null; areas: SlowAreaFlag[] }> };
  /** areas with more waits beyond the city p90 (arrival) than the expected 10%: the flagged list */
  longWaits: { cityP90Minutes: number | null; areas: AreaWaitResult[] };
  flaggedAreas: AreaWaitResult[];
  distance: { bands: { band: number | null; calls: number; minKm: number | null; maxKm: number | null; medianMinutes: number | null; p90Minutes: number | null }[]; spearman: { n: number; rho: number | null } };
  channel: { hasData: boolean; areas: ReturnType<typeof sharesByArea>['areas']; digital: { cityShare: number; areas: AreaDigitalShare[] } };
  initiation: ReturnType<typeof initiationShares>;
  /**
   * Calls per 1,000 residents by area, all calls and resident-initiated only (community
   * demand without patrol-generated activity); empty when the areas carry no population.
   */
  rates: { areaId: string; areaName: string | null; population: number | null; calls: number; perThousand: number; resident: number; residentPerThousand: number }[];
}

export async function equitySection(db: Db, map: TierMap, o: TriageReportOptions = {}): Promise<EquitySection> {
  const opts = o.where ? { where: o.where } : {};
  const response = (await rows(db, responseTimes(map, opts))).map(
    (r): ResponseRow => ({
      measure: String(r.measure),
      grouping: r.grouping as ResponseRow['grouping'],
      tier: r.tier === null ? null : num(r.tier),
      areaId: str(r.area_id),
      areaName: str(r.area_name),
      calls: num(r.calls),
      missing: num(r.missing),
      negative: num(r.negative),
      implausible: num(r.implausible),
      valid: num(r.valid),
      medianMinutes: r.median_minutes === null ? null : num(r.median_minutes),
      p90Minutes: r.p90_minutes === null ? null : num(r.p90_minutes),
    }),
  );
  const minValid = o.minCount ?? 20;
  const all = slowAreas(response, { measure: 'arrive', minValid });
  const byTier = Object.fromEntries([1, 2, 3].map((t) => [String(t), slowAreas(response, { measure: 'arrive', tier: t, minValid })]));
  const above = await rows(db, arrivalsAboveCityP90(map, opts));
  const longWaits = longWaitAreas(
    above.filter((r) => r.area_id !== null).map((r) => ({ areaId: str(r.area_id), areaName: str(r.area_name), valid: num(r.valid), above: num(r.above) })),
    { minValid },
  );
  const dist = { ...opts, measures: ['arrive'] as const, ...(o.centre ? { centre: o.centre } : {}) };
  const bands = (await rows(db, responseByDistanceBand(map, dist))).map((r) => ({
    band: r.band === null ? null : num(r.band),
    calls: num(r.calls),
    minKm: r.min_km === null ? null : num(r.min_km),
    maxKm: r.max_km === null ? null : num(r.max_km),
    medianMinutes: r.median_minutes === null ? null : num(r.median_minutes),
    p90Minutes: r.p90_minutes === null ? null : num(r.p90_minutes),
  }));
  const [rho] = await rows(db, responseDistanceSpearman(map, dist));
  const channelRows = (await rows(db, channelMixByArea(opts))).map((r) => ({ areaId: str(r.area_id), areaName: str(r.area_name), category: str(r.channel), n: num(r.n) }));
  const channel = sharesByArea(channelRows);
  // Officer-initiated calls have no reporting choice; only residents' calls say how people report.
  const residentWhere = sql`(${o.where ?? sql`TRUE`}) AND self_initiated IS NOT TRUE`;
  const resident = (await rows(db, channelMixByArea({ where: residentWhere }))).map((r) => ({ areaId: str(r.area_id), areaName: str(r.area_name), channel: str(r.channel), n: num(r.n) }));
  const perArea = new Map<string | null, { areaId: string | null; areaName: string | null; known: number; digital: number }>();
  for (const r of resident) {
    const a = perArea.get(r.areaId) ?? { areaId: r.areaId, areaName: r.areaName, known: 0, digital: 0 };
    if (r.channel !== null && r.channel !== 'officer') {
      a.known += r.n;
      if (DIGITAL_CHANNELS.includes(r.channel)) a.digital += r.n;
    }
    perArea.set(r.areaId, a);
  }
  const initiationRows = (await rows(db, initiationByArea(opts))).map((r) => ({
    areaId: str(r.area_id),
    areaName: str(r.area_name),
    calls: num(r.calls),
    selfInitiated: num(r.self_initiated),
    resident: num(r.resident),
    unknown: num(r.unknown),
  }));
  const initiation = initiationShares(initiationRows);
  return {
    definitions: { ...EQUITY_DEFINITIONS, digital: DIGITAL_DEFINITION, longWait: LONG_WAIT_DEFINITION },
    response,
    slowAreas: { all, byTier },
    longWaits: { cityP90Minutes: above[0]?.city_p90 == null ? null : num(above[0].city_p90), areas: longWaits },
    flaggedAreas: longWaits.filter((a) => a.flagged),
    distance: { bands, spearman: { n: num(rho?.n), rho: rho?.rho === null || rho?.rho === undefined ? null : num(rho.rho) } },
    channel: {
      hasData: channel.hasData,
      areas: channel.areas,
      digital: channel.hasData ? lowDigitalAccess([...perArea.values()].filter((a) => a.areaId !== null)) : { cityShare: Number.NaN, areas: [] },
    },
    initiation,
    rates: populationRates(initiationRows, o.population),
  };
}

function populationRates(initiation: readonly { areaId: string | null; areaName: string | null; calls: number; resident: number }[], population: TriageReportOptions['population']): EquitySection['rates'] {
  if (!population || Object.keys(population).length === 0) return [];
  const located = initiation.filter((a): a is typeof a & { areaId: string } => a.areaId !== null);
  const all = ratesPer1000(located.map((a) => ({ areaId: a.areaId, n: a.calls })), population);
  const resident = ratesPer1000(located.map((a) => ({ areaId: a.areaId, n: a.resident })), population);
  return located.map((a, i) => ({
    areaId: a.areaId,
    areaName: a.areaName,
    population: all[i]!.population,
    calls: a.calls,
    perThousand: all[i]!.per1000,
    resident: a.resident,
    residentPerThousand: resident[i]!.per1000,
  }));
}

/** Residents per area from the areas file's `population` property (numbers only). */
export function populationOf(areas: readonly { id: string; properties: Record<string, unknown> }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of areas) {
    const v = Number(a.properties.population);
    if (a.properties.population !== null && a.properties.population !== '' && Number.isFinite(v) && v > 0) out[a.id] = v;
  }
  return out;
}
