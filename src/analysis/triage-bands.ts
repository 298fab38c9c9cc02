import { binomialUpperTail } from './binomial-exact';
import { bhAdjust } from './fdr';

/**
 * Where in the day a call type's misclassification concentrates (journey 4: "noise calls at
 * night that turn out to be shots fired"). Each (initial type, hour) group is tested against
 * that type's own rate, not the city's: a type that is often upgraded at every hour is a
 * training issue, a type upgraded mostly at night is a shift issue, and only the second is a band.
 */
export interface TypeHourCount {
  /** initial type code as first entered */
  type: string;
  hour: number;
  /** calls of the type in the hour with both tiers known */
  total: number;
  /** of those, the event counted (e.g. under-triaged, or under-triaged to Level 3) */
  events: number;
}

export interface TypeHourGroup extends TypeHourCount {
  rate: number;
  typeRate: number;
  p: number | null;
  q: number | null;
  flagged: boolean;
}

export interface TriageBand {
  type: string;
  /** [startHour, endHour) on the wall clock; endHour < startHour crosses midnight */
  startHour: number;
  endHour: number;
  hours: number[];
  events: number;
  total: number;
  rate: number;
  typeRate: number;
  /** events of this type inside the band / all events of the type */
  shareOfTypeEvents: number;
}

export const BAND_DEFINITION =
  'A band is a run of consecutive hours in which a call type (as first entered) was misclassified significantly more often than the same type at other hours: one-sided exact binomial test of each hour against the type’s own rate, Benjamini–Hochberg across all type × hour groups tested.';

export function typeHourBands(
  rows: readonly TypeHourCount[],
  options: { minCount?: number; minTypeEvents?: number; alpha?: number } = {},
): { groups: TypeHourGroup[]; bands: TriageBand[] } {
  const minCount = options.minCount ?? 20;
  const minTypeEvents = options.minTypeEvents ?? 10;
  const alpha = options.alpha ?? 0.05;
  const byType = new Map<string, { events: number; total: number }>();
  for (const r of rows) {
    const t = byType.get(r.type) ?? { events: 0, total: 0 };
    t.events += r.events;
    t.total += r.total;
    byType.set(r.type, t);
  }
  const typeRate = (type: string) => {
    const t = byType.get(type)!;
    return t.total > 0 ? t.events / t.total : Number.NaN;
  };
  // Types with almost no events cannot concentrate anywhere; testing them only dilutes BH.
  const ps = rows.map((r) => {
    const t = byType.get(r.type)!;
    const p0 = typeRate(r.type);
    return r.total >= minCount && t.events >= minTypeEvents && p0 > 0 && p0 < 1 ? binomialUpperTail(r.events, r.total, p0) : Number.NaN;
  });
  const qs = bhAdjust(ps);
  const groups = rows.map((r, i): TypeHourGroup => {
    const rate = r.total > 0 ? r.events / r.total : Number.NaN;
    const q = Number.isNaN(qs[i]!) ? null : qs[i]!;
    return { ...r, rate, typeRate: typeRate(r.type), p: Number.isNaN(ps[i]!) ? null : ps[i]!, q, flagged: q !== null && q <= alpha && rate > typeRate(r.type) };
  });
  const bands: TriageBand[] = [];
  for (const type of byType.keys()) {
    const flaggedHours = new Set(groups.filter((g) => g.type === type && g.flagged).map((g) => g.hour));
    for (const run of circularRuns(flaggedHours)) {
      const inBand = groups.filter((g) => g.type === type && run.includes(g.hour));
      const events = inBand.reduce((s, g) => s + g.events, 0);
      const total = inBand.reduce((s, g) => s + g.total, 0);
      const t = byType.get(type)!;
      bands.push({
        type,
        startHour: run[0]!,
        endHour: (run[run.length - 1]! + 1) % 24,
        hours: run,
        events,
        total,
        rate: total > 0 ? events / total : Number.NaN,
        typeRate: typeRate(type),
        shareOfTypeEvents: t.events > 0 ? events / t.events : Number.NaN,
      });
    }
  }
  bands.sort((a, b) => b.events - a.events || a.type.localeCompare(b.type));
  return { groups, bands };
}

/** Runs of consecutive hours, joined across midnight (23 → 0), each in clock order from its start. */
export function circularRuns(hours: ReadonlySet<number>): number[][] {
  if (hours.size === 0) return [];
  if (hours.size === 24) return [Array.from({ length: 24 }, (_, h) => h)];
  const runs: number[][] = [];
  for (let h = 0; h < 24; h++) {
    if (!hours.has(h) || hours.has((h + 23) % 24)) continue;
    const run = [h];
    for (let k = (h + 1) % 24; hours.has(k); k = (k + 1) % 24) run.push(k);
    runs.push(run);
  }
  return runs;
}
