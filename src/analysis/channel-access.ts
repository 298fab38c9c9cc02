import { binomialUpperTail } from './binomial-exact';
import { bhAdjust } from './fdr';

/**
 * Digital access (journey 4, step 3): where residents rarely use online or app reporting,
 * low-level problems go unreported or reach the police by phone only. Each area's share of
 * resident calls made online or by app is tested against the city-wide share.
 */
export interface AreaChannelCount {
  areaId: string | null;
  areaName: string | null;
  /** resident calls with a recorded channel */
  known: number;
  /** of those, online or app */
  digital: number;
}

export interface AreaDigitalShare extends AreaChannelCount {
  share: number;
  p: number | null;
  q: number | null;
  flagged: boolean;
}

export const DIGITAL_CHANNELS: readonly string[] = ['online', 'app', 'web', 'internet', 'email', 'text', 'sms'];

export const DIGITAL_DEFINITION =
  'Digital share: resident (not officer-initiated) calls reported online or by app, over resident calls with a recorded channel. An area is flagged when its share is below the city-wide share by a one-sided exact binomial test, Benjamini–Hochberg across areas with at least the minimum number of calls.';

export function lowDigitalAccess(
  rows: readonly AreaChannelCount[],
  options: { minCount?: number; alpha?: number } = {},
): { cityShare: number; areas: AreaDigitalShare[] } {
  const minCount = options.minCount ?? 30;
  const alpha = options.alpha ?? 0.05;
  const known = rows.reduce((s, r) => s + r.known, 0);
  const digital = rows.reduce((s, r) => s + r.digital, 0);
  const city = known > 0 ? digital / known : Number.NaN;
  // Lower tail P(X ≤ k) = 1 − P(X ≥ k + 1).
  const ps = rows.map((r) => (r.known >= minCount && city > 0 && city < 1 ? 1 - binomialUpperTail(r.digital + 1, r.known, city) : Number.NaN));
  const qs = bhAdjust(ps);
  const areas = rows.map((r, i): AreaDigitalShare => {
    const share = r.known > 0 ? r.digital / r.known : Number.NaN;
    const q = Number.isNaN(qs[i]!) ? null : qs[i]!;
    return { ...r, share, p: Number.isNaN(ps[i]!) ? null : ps[i]!, q, flagged: q !== null && q <= alpha && share < city };
  });
  areas.sort((a, b) => (Number.isNaN(a.share) ? 1 : 0) - (Number.isNaN(b.share) ? 1 : 0) || a.share - b.share);
  return { cityShare: city, areas };
}
