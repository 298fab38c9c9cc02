/**
 * Triage tiers and the misclassification audit (journey 4).
 *
 * Tiers follow the department's non-emergency triage: 1 = minor (automated follow-up or
 * referral), 2 = suspicious but not immediate (beat officer), 3 = clear threat (rapid
 * response). Everything here is pure: SQL aggregates come in, plain records go out.
 */
import { binomialUpperTail } from './binomial-exact';
import { bhAdjust } from './fdr';

export type Tier = 1 | 2 | 3;

export interface TierRule {
  /** Exact type code, compared trimmed and case-insensitively. */
  typeCode?: string;
  /** Case-insensitive regular expression tested against the type text (RE2-compatible subset). */
  typePattern?: string;
  /** Priority prefix: "2" matches 2, 2A, 2D…; "2A" matches only 2A. */
  priority?: string;
  tier: Tier;
  /** Level 1 call that could go to a non-police service instead of a unit. */
  referral?: boolean;
  /** Problem family used for referral reporting and recurrence (e.g. "noise"). */
  category?: string;
}

/** Rules are tried in order; the first whose every given condition matches wins. */
export interface TierMap {
  version: 1;
  rules: TierRule[];
  /** Tier for a call no rule matches; null (the default) leaves it "unknown". */
  default?: Tier | null;
}

export interface CallTypeFields {
  typeCode: string | null;
  typeText: string | null;
  priority: string | null;
}

const norm = (s: string | null | undefined): string => (s ?? '').trim().toUpperCase();

/** The rule a call matches, or null. Mirrors `tierCase` in src/data/queries/tiers.ts. */
export function matchRule(map: TierMap, call: CallTypeFields): TierRule | null {
  const code = norm(call.typeCode);
  const priority = norm(call.priority);
  if (code === '' && norm(call.typeText) === '') return null;
  for (const rule of map.rules) {
    if (rule.typeCode !== undefined && norm(rule.typeCode) !== code) continue;
    if (rule.typePattern !== undefined && (call.typeText == null || !new RegExp(rule.typePattern, 'i').test(call.typeText))) continue;
    if (rule.priority !== undefined && (priority === '' || !priority.startsWith(norm(rule.priority)))) continue;
    return rule;
  }
  return null;
}

/** Tier of one call (null = unknown: no type at all, or no rule and no default). */
export function assignTier(map: TierMap, call: CallTypeFields): Tier | null {
  if (norm(call.typeCode) === '' && norm(call.typeText) === '') return null;
  return matchRule(map, call)?.tier ?? map.default ?? null;
}

// ---------------------------------------------------------------------------------------
// Misclassification audit

/** Row of the initial × final aggregate (SQL `triageConfusion`); null tier = unknown. */
export interface TriageCell {
  initialTier: Tier | null;
  finalTier: Tier | null;
  count: number;
}

export interface RateWithCount {
  count: number;
  /** Calls with both tiers known: the denominator of every triage rate. */
  denominator: number;
  rate: number;
}

export interface TriageAudit {
  /** matrix[initial][final], index 0..2 = tier 1..3, index 3 = unknown. */
  matrix: number[][];
  total: number;
  bothKnown: number;
  /** Initial tier below the final tier: a threat first handled as something smaller. */
  underTriage: RateWithCount;
  /** Entered as Level 1 and ended as Level 3: the case-review list. */
  severeUnderTriage: RateWithCount;
  overTriage: RateWithCount;
  agreement: RateWithCount;
}

export const TRIAGE_DEFINITIONS = {
  underTriage:
    'Under-triage: the tier of the call type as first entered (initial type and priority) is lower than the tier of its final type. Rates are over calls whose initial and final tiers are both known.',
  overTriage: 'Over-triage: the initial tier is higher than the final tier. Same denominator as under-triage.',
  concentration:
    'A group is flagged when its under-triage rate is above the overall rate by a one-sided exact binomial test against the overall rate, after Benjamini–Hochberg correction across all groups with at least the minimum number of calls.',
} as const;

const idx = (t: Tier | null): number => (t === null ? 3 : t - 1);
const rate = (count: number, denominator: number): RateWithCount => ({
  count,
  denominator,
  rate: denominator > 0 ? count / denominator : Number.NaN,
});

export function triageAudit(cells: readonly TriageCell[]): TriageAudit {
  const matrix = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  let under = 0;
  let over = 0;
  let same = 0;
  let severe = 0;
  let total = 0;
  for (const c of cells) {
    matrix[idx(c.initialTier)]![idx(c.finalTier)]! += c.count;
    total += c.count;
    if (c.initialTier === null || c.finalTier === null) continue;
    if (c.initialTier < c.finalTier) under += c.count;
    else if (c.initialTier > c.finalTier) over += c.count;
    else same += c.count;
    if (c.initialTier === 1 && c.finalTier === 3) severe += c.count;
  }
  const known = under + over + same;
  return {
    matrix,
    total,
    bothKnown: known,
    underTriage: rate(under, known),
    severeUnderTriage: rate(severe, known),
    overTriage: rate(over, known),
    agreement: rate(same, known),
  };
}

// ---------------------------------------------------------------------------------------
// Where under-triage concentrates

export interface GroupCount {
  key: string;
  /** under-triaged calls in the group */
  count: number;
  /** calls with both tiers known in the group */
  total: number;
}

export interface ConcentrationResult extends GroupCount {
  rate: number;
  /** 95% Wilson score interval for the group's rate. */
  low: number;
  high: number;
  /** One-sided exact binomial p-value, H1: rate > overall. null when below minCount. */
  p: number | null;
  /** Benjamini–Hochberg adjusted p (over tested groups). */
  q: number | null;
  flagged: boolean;
}

export interface ConcentrationOptions {
  /** Groups with fewer calls are reported but not tested (default 20). */
  minCount?: number;
  /** False discovery rate (default 0.05). */
  alpha?: number;
  /** Rate to test against; default the pooled rate of all groups. */
  overallRate?: number;
}

/**
 * Flags groups (type, area, hour…) whose under-triage rate is significantly above the
 * overall rate. Exact test rather than a normal approximation because group rates are small
 * and groups are often small; BH because dozens of groups are screened at once.
 */
export function underTriageConcentration(groups: readonly GroupCount[], options: ConcentrationOptions = {}): {
  overallRate: number;
  groups: ConcentrationResult[];
} {
  const minCount = options.minCount ?? 20;
  const alpha = options.alpha ?? 0.05;
  const sumCount = groups.reduce((s, g) => s + g.count, 0);
  const sumTotal = groups.reduce((s, g) => s + g.total, 0);
  const overall = options.overallRate ?? (sumTotal > 0 ? sumCount / sumTotal : Number.NaN);
  const tested = groups.map((g) => (g.total >= minCount && Number.isFinite(overall) ? binomialUpperTail(g.count, g.total, overall) : null));
  // Untested groups go in as NaN, which bhAdjust (like R's NA) leaves out of m.
  const qs = bhAdjust(tested.map((p) => p ?? Number.NaN));
  const results = groups.map((g, i): ConcentrationResult => {
    const [low, high] = wilsonInterval(g.count, g.total);
    const q = tested[i] === null ? null : qs[i]!;
    const r = g.total > 0 ? g.count / g.total : Number.NaN;
    return { ...g, rate: r, low, high, p: tested[i] ?? null, q, flagged: q !== null && q <= alpha && r > overall };
  });
  results.sort((a, b) => (a.q ?? 2) - (b.q ?? 2) || b.rate - a.rate);
  return { overallRate: overall, groups: results };
}

/** Wilson score interval (z = 1.96 → 95%); [NaN, NaN] for n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): [number, number] {
  if (n <= 0) return [Number.NaN, Number.NaN];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the bound is 0 (1) exactly; the formula leaves a rounding residue.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}
