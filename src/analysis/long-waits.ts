import { binomialUpperTail } from './binomial-exact';
import { bhAdjust } from './fdr';

/**
 * Areas where waits beyond the city-wide 90th percentile are more common than the 10% that
 * definition implies. Comparing each area's own p90 with the city's flags about half the areas
 * by construction; testing the share above the city p90 flags only real excess.
 */
export interface AreaWaitCount {
  areaId: string | null;
  areaName: string | null;
  valid: number;
  /** valid intervals longer than the city-wide p90 */
  above: number;
}

export interface AreaWaitResult extends AreaWaitCount {
  shareAbove: number;
  p: number | null;
  q: number | null;
  flagged: boolean;
}

export const LONG_WAIT_DEFINITION =
  'Long-wait area: the share of its calls waiting longer than the city-wide 90th percentile is above 10% by a one-sided exact binomial test (10% is what every area would show if waits did not depend on area), Benjamini–Hochberg across areas with at least the minimum number of valid intervals.';

export function longWaitAreas(rows: readonly AreaWaitCount[], options: { minValid?: number; alpha?: number; expectedShare?: number } = {}): AreaWaitResult[] {
  const minValid = options.minValid ?? 20;
  const alpha = options.alpha ?? 0.05;
  const p0 = options.expectedShare ?? 0.1;
  const ps = rows.map((r) => (r.valid >= minValid ? binomialUpperTail(r.above, r.valid, p0) : Number.NaN));
  const qs = bhAdjust(ps);
  return rows
    .map((r, i): AreaWaitResult => {
      const share = r.valid > 0 ? r.above / r.valid : Number.NaN;
      const q = Number.isNaN(qs[i]!) ? null : qs[i]!;
      return { ...r, shareAbove: share, p: Number.isNaN(ps[i]!) ? null : ps[i]!, q, flagged: q !== null && q <= alpha && share > p0 };
    })
    .sort((a, b) => (b.shareAbove || 0) - (a.shareAbove || 0));
}
