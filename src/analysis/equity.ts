import { QUANTILE_METHOD } from './quantiles';

/**
 * Equity of service (journey 4, step 3): who waits longer, who calls how, and where the
 * police rather than residents generate the calls. Inputs are SQL aggregates from
 * src/data/queries/equity.ts.
 */
export const EQUITY_DEFINITIONS = {
  responseTime:
    'Response time: minutes from call received to dispatched, to first arrival, or to closed. Missing end times are counted as missing; negative intervals (end before receipt) and intervals above the plausibility limit (24 h to dispatch or arrival, 72 h to close, by default) are counted and left out of the median and p90.',
  quantiles: QUANTILE_METHOD,
  slowArea:
    'An area is flagged when its median or its 90th percentile exceeds the city-wide 90th percentile for the same measure (and tier, when split by tier), with at least the minimum number of valid intervals.',
  distance:
    "Distance: great-circle distance from the call's point to its district station, or to the city centre when no stations are loaded. Spearman's rho uses mid-ranks for ties. Correlation with distance is not proof that distance causes the delay: workload and call mix differ by area too.",
  initiation: 'Self-initiated: calls an officer generated in the field, as opposed to calls from residents.',
} as const;

export interface ResponseRow {
  measure: string;
  grouping: 'tier-area' | 'tier' | 'area' | 'all';
  tier: number | null;
  areaId: string | null;
  areaName: string | null;
  calls: number;
  missing: number;
  negative: number;
  implausible: number;
  valid: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface SlowAreaFlag {
  areaId: string | null;
  areaName: string | null;
  tier: number | null;
  valid: number;
  medianMinutes: number;
  p90Minutes: number;
  cityP90Minutes: number;
  medianAbove: boolean;
  p90Above: boolean;
}

/**
 * Areas slower than the city as a whole, for one measure. With `tier`, areas are compared
 * within that tier against the city-wide p90 of the same tier (comparing a Level 1 area
 * median against a Level 3 city p90 would mislead). Returns every area with enough data,
 * flagged or not, slowest median first.
 */
export function slowAreas(
  rows: readonly ResponseRow[],
  options: { measure: string; tier?: number; minValid?: number },
): { cityP90Minutes: number | null; areas: SlowAreaFlag[] } {
  const minValid = options.minValid ?? 20;
  const tier = options.tier;
  const mine = rows.filter((r) => r.measure === options.measure);
  const city = mine.find((r) => (tier === undefined ? r.grouping === 'all' : r.grouping === 'tier' && r.tier === tier));
  const cityP90 = city?.p90Minutes ?? null;
  const areas = mine
    .filter((r) => (tier === undefined ? r.grouping === 'area' : r.grouping === 'tier-area' && r.tier === tier))
    .filter((r) => r.valid >= minValid && r.medianMinutes !== null && r.p90Minutes !== null)
    .map((r): SlowAreaFlag => {
      const median = r.medianMinutes!;
      const p90 = r.p90Minutes!;
      return {
        areaId: r.areaId,
        areaName: r.areaName,
        tier: r.tier,
        valid: r.valid,
        medianMinutes: median,
        p90Minutes: p90,
        cityP90Minutes: cityP90 ?? Number.NaN,
        medianAbove: cityP90 !== null && median > cityP90,
        p90Above: cityP90 !== null && p90 > cityP90,
      };
    })
    .sort((a, b) => b.medianMinutes - a.medianMinutes);
  return { cityP90Minutes: cityP90, areas };
}

export interface ShareItem {
  label: string;
  n: number;
  share: number;
}

/**
 * Category shares within each area (e.g. channel mix). `null` categories are shown as
 * "not recorded"; `hasData` is false when every value is unrecorded, so the panel can say
 * "this dataset has no channel column" instead of drawing one grey bar.
 */
export function sharesByArea(
  rows: readonly { areaId: string | null; areaName?: string | null; category: string | null; n: number }[],
): { hasData: boolean; areas: { areaId: string | null; areaName: string | null; total: number; items: ShareItem[] }[] } {
  const byArea = new Map<string | null, { areaName: string | null; counts: Map<string, number> }>();
  let recorded = 0;
  for (const r of rows) {
    const a = byArea.get(r.areaId) ?? { areaName: r.areaName ?? null, counts: new Map<string, number>() };
    const label = r.category ?? 'not recorded';
    a.counts.set(label, (a.counts.get(label) ?? 0) + r.n);
    if (r.category !== null) recorded += r.n;
    byArea.set(r.areaId, a);
  }
  const areas = [...byArea].map(([areaId, a]) => {
    const total = [...a.counts.values()].reduce((s, n) => s + n, 0);
    const items = [...a.counts]
      .map(([label, n]) => ({ label, n, share: total > 0 ? n / total : Number.NaN }))
      .sort((x, y) => y.n - x.n || x.label.localeCompare(y.label));
    return { areaId, areaName: a.areaName, total, items };
  });
  return { hasData: recorded > 0, areas };
}

/**
 * Share of self-initiated calls among calls whose initiation is known, per area. A high share
 * means the area's call volume reflects where officers were sent, not only what residents
 * reported; a low resident share in a high-need area can point to under-reporting.
 */
export function initiationShares(
  rows: readonly { areaId: string | null; areaName?: string | null; calls: number; selfInitiated: number; resident: number; unknown: number }[],
): { areaId: string | null; areaName: string | null; calls: number; selfShare: number; residentShare: number; unknown: number }[] {
  return rows.map((r) => {
    const known = r.selfInitiated + r.resident;
    return {
      areaId: r.areaId,
      areaName: r.areaName ?? null,
      calls: r.calls,
      selfShare: known > 0 ? r.selfInitiated / known : Number.NaN,
      residentShare: known > 0 ? r.resident / known : Number.NaN,
      unknown: r.unknown,
    };
  });
}

/**
 * Calls per 1,000 residents per area. Areas without a population (or with 0) get NaN, never
 * Infinity: an area with no residents (a park, the port) has no meaningful per-capita rate.
 */
export function ratesPer1000(
  counts: readonly { areaId: string; n: number }[],
  population: Readonly<Record<string, number>>,
): { areaId: string; n: number; population: number | null; per1000: number }[] {
  return counts.map(({ areaId, n }) => {
    const pop = Object.hasOwn(population, areaId) ? population[areaId]! : null;
    return { areaId, n, population: pop, per1000: pop !== null && pop > 0 ? (1000 * n) / pop : Number.NaN };
  });
}
