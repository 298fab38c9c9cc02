/**
 * Outcomes: what happened to calls (disposition) by tier and area, as counts and shares.
 * Input is the SQL aggregate `dispositionsByTierArea`; nothing here sees single calls.
 */
export interface DispositionCount {
  tier: number | null;
  areaId: string | null;
  areaName?: string | null;
  disposition: string | null;
  n: number;
}

export interface DispositionGroup {
  /** tier (as text), area id, or "tier|area", per `by`; null parts mean unknown */
  key: string;
  tier: number | null;
  areaId: string | null;
  areaName: string | null;
  total: number;
  items: { disposition: string; n: number; share: number }[];
}

/** Label for calls with no disposition recorded, kept visible rather than dropped. */
export const NO_DISPOSITION = '(none recorded)';

/**
 * Groups disposition counts by tier, by area, or by both, with shares within each group,
 * largest first. Dispositions below `minShare` of a group are pooled into "other" so small
 * codes do not crowd a chart; pooling never changes the group total.
 */
export function dispositionShares(
  rows: readonly DispositionCount[],
  by: 'tier' | 'area' | 'tier-area' | 'all',
  options: { minShare?: number } = {},
): DispositionGroup[] {
  const minShare = options.minShare ?? 0;
  const groups = new Map<string, DispositionGroup & { counts: Map<string, number> }>();
  for (const r of rows) {
    const tier = by === 'tier' || by === 'tier-area' ? r.tier : null;
    const areaId = by === 'area' || by === 'tier-area' ? r.areaId : null;
    const key = by === 'all' ? 'all' : by === 'tier' ? String(tier) : by === 'area' ? String(areaId) : `${tier}|${areaId}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, tier, areaId, areaName: areaId === null ? null : (r.areaName ?? null), total: 0, items: [], counts: new Map() };
      groups.set(key, g);
    }
    const label = r.disposition ?? NO_DISPOSITION;
    g.counts.set(label, (g.counts.get(label) ?? 0) + r.n);
    g.total += r.n;
  }
  return [...groups.values()]
    .map(({ counts, ...g }) => {
      const items: DispositionGroup['items'] = [];
      let other = 0;
      for (const [disposition, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
        if (g.total > 0 && n / g.total < minShare) other += n;
        else items.push({ disposition, n, share: g.total > 0 ? n / g.total : Number.NaN });
      }
      if (other > 0) items.push({ disposition: 'other', n: other, share: other / g.total });
      return { ...g, items };
    })
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}
