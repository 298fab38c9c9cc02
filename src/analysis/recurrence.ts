/**
 * Recurrence and resolution (journey 4, step 4): after a call at a place, does the same
 * problem come back there? The definitions below are shown next to every number.
 */
export const RECURRENCE_DEFINITIONS = {
  place:
    'Place: the block address as recorded; calls without an address use a ~100 m grid cell around their point. Calls with neither cannot be judged and are counted separately.',
  problem: 'Same problem: the same category in the tier map, or the same call type when the type has no category.',
  recurrence:
    'Recurrence within N days: another call about the same problem at the same place, received at least 60 minutes after the call (sooner calls are treated as the same incident) and at most N days after it. Follow-up calls are searched in all loaded data, not only the current filter.',
  resolution: 'Resolution rate at N days: the share of judged calls with no recurrence within N days.',
  censoring:
    'Right-censoring: a call received in the last N days of the data cannot be judged for N-day recurrence, because the data stop before the N days are over. Such calls are left out of the N-day denominator (and reported as "too recent"), so longer horizons rest on fewer, older calls.',
} as const;

/** One cell of the SQL histogram (`recurrenceHistogram`). */
export interface RecurrenceBin {
  key: string | null;
  hasPlace: boolean;
  /** whole days of data after the call (capped at maxDays + 1) */
  followBin: number;
  /** days to the next same-problem call, rounded up; null = none in the data */
  recurBin: number | null;
  n: number;
}

export interface HorizonRate {
  days: number;
  /** calls with at least `days` of follow-up: the denominator */
  judged: number;
  recurred: number;
  /** calls left out because the data end less than `days` after them */
  tooRecent: number;
  recurrenceRate: number;
  resolutionRate: number;
}

export interface RecurrenceSummary {
  key: string | null;
  calls: number;
  /** calls with no address and no usable point */
  noPlace: number;
  /** curve[d] for d = 0..maxDays: share recurred within d days among calls judged at d */
  curve: HorizonRate[];
  horizons: HorizonRate[];
}

/**
 * Per key: recurrence curve and resolution rates at the requested horizons. For horizon d the
 * denominator is the calls with followBin ≥ d (at least d full days of data after them), the
 * numerator those of them with recurBin ≤ d. Because recurBin is the ceiling and followBin
 * the floor of the same-unit day counts, "≤ d days" and "≥ d days" are exact.
 */
export function recurrenceFromHistogram(
  bins: readonly RecurrenceBin[],
  options: { horizons?: readonly number[]; maxDays?: number } = {},
): RecurrenceSummary[] {
  const maxDays = options.maxDays ?? 90;
  // Follow-up beyond maxDays is binned together, so longer horizons cannot be judged from these bins.
  const horizons = (options.horizons ?? [30, 60, 90]).filter((h) => h >= 0 && h <= maxDays);
  const byKey = new Map<string | null, RecurrenceBin[]>();
  for (const b of bins) {
    const list = byKey.get(b.key) ?? [];
    list.push(b);
    byKey.set(b.key, list);
  }
  const out: RecurrenceSummary[] = [];
  for (const [key, list] of byKey) {
    const placed = list.filter((b) => b.hasPlace);
    const calls = list.reduce((s, b) => s + b.n, 0);
    const noPlace = calls - placed.reduce((s, b) => s + b.n, 0);
    const placedCalls = calls - noPlace;
    const at = (d: number): HorizonRate => {
      let judged = 0;
      let recurred = 0;
      for (const b of placed) {
        if (b.followBin < d) continue;
        judged += b.n;
        if (b.recurBin !== null && b.recurBin <= d) recurred += b.n;
      }
      const r = judged > 0 ? recurred / judged : Number.NaN;
      return { days: d, judged, recurred, tooRecent: placedCalls - judged, recurrenceRate: r, resolutionRate: 1 - r };
    };
    const curve = Array.from({ length: maxDays + 1 }, (_, d) => at(d));
    out.push({ key, calls, noPlace, curve, horizons: horizons.map((h) => curve[h]!) });
  }
  return out.sort((a, b) => String(a.key).localeCompare(String(b.key)));
}
