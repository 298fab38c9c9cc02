import { randomLcg } from 'd3';
import type { CubeFilters as DashboardFilters } from '../../src/data/queries/cube-index';

/**
 * A scripted analyst session: brush hours, pick call types, select a map rectangle, change
 * the period, clear a filter. Seeded, so every run (and the native replay) sees the same
 * sequence. Filters accumulate as they would on screen; every 8th step clears one.
 */
export interface InteractionContext {
  /** type codes, most frequent first (the types clause filters codes) */
  types: string[];
  /** [west, south, east, north] of the located calls */
  bbox: [number, number, number, number];
  /** ISO days [start, end) of the data */
  span: [string, string];
}

export interface Interaction {
  kind: 'hours' | 'types' | 'map-area' | 'period' | 'clear';
  filters: DashboardFilters;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function interactionSequence(ctx: InteractionContext, n = 60, seed = 20260629): Interaction[] {
  const rnd = randomLcg(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  let f: DashboardFilters = { dates: null, hourOfWeek: null, types: [], areas: [], bbox: null };
  const out: Interaction[] = [];
  const kinds = ['hours', 'types', 'map-area', 'period'] as const;
  const spanStart = Date.parse(`${ctx.span[0]}T00:00:00Z`);
  const spanDays = Math.max(1, Math.round((Date.parse(`${ctx.span[1]}T00:00:00Z`) - spanStart) / DAY_MS));
  for (let i = 0; i < n; i++) {
    if (i % 8 === 7) {
      const key = (['hourOfWeek', 'types', 'bbox', 'dates'] as const)[int(0, 3)]!;
      f = { ...f, [key]: key === 'types' ? [] : null };
      out.push({ kind: 'clear', filters: f });
      continue;
    }
    const kind = kinds[i % 4]!;
    if (kind === 'hours') {
      const dowFrom = int(0, 6);
      f = { ...f, hourOfWeek: { dowFrom, dowTo: int(dowFrom, 6), hourFrom: int(0, 23), hourTo: int(0, 23) } };
    } else if (kind === 'types') {
      const top = ctx.types.slice(0, 12);
      f = { ...f, types: Array.from(new Set(Array.from({ length: int(1, 3) }, () => top[int(0, top.length - 1)]!))) };
    } else if (kind === 'map-area') {
      const [w, s, e, nn] = ctx.bbox;
      const fw = 0.2 + 0.5 * rnd();
      const fh = 0.2 + 0.5 * rnd();
      const x = w + (e - w) * (1 - fw) * rnd();
      const y = s + (nn - s) * (1 - fh) * rnd();
      f = { ...f, bbox: [x, y, x + (e - w) * fw, y + (nn - s) * fh] };
    } else {
      const days = [28, 91, 365][int(0, 2)]!;
      const startDay = int(0, Math.max(0, spanDays - days));
      f = { ...f, dates: [isoDay(spanStart + startDay * DAY_MS), isoDay(spanStart + (startDay + days) * DAY_MS)] };
    }
    out.push({ kind, filters: f });
  }
  return out;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  // type-7 (linear) quantile, as numpy's default
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}
