import type { Period } from './types';

/**
 * The default comparison: the last complete calendar quarter against the one before (what a
 * council asks for), or, when the data cannot hold two quarters, the longest run of whole weeks
 * up to 13 that fits twice, ending on the last day with data.
 */
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const parse = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function defaultPeriods(firstDay: string, lastDay: string): { current: Period; previous: Period } {
  const first = parse(firstDay);
  const endExclusive = parse(lastDay) + DAY_MS;
  if (!Number.isFinite(first) || !Number.isFinite(endExclusive) || endExclusive <= first) {
    throw new RangeError(`The data period ${firstDay} – ${lastDay} is not a valid date range.`);
  }
  const end = new Date(endExclusive);
  // Start of the quarter containing the day after the data ends: every quarter before it is complete.
  let qEnd = Date.UTC(end.getUTCFullYear(), Math.floor(end.getUTCMonth() / 3) * 3, 1);
  if (qEnd > endExclusive) qEnd = Date.UTC(end.getUTCFullYear(), Math.floor(end.getUTCMonth() / 3) * 3 - 3, 1);
  const qStart = shiftMonths(qEnd, -3);
  const pStart = shiftMonths(qEnd, -6);
  if (pStart >= first) {
    return { current: quarter(qStart, qEnd), previous: quarter(pStart, qStart) };
  }
  const days = Math.floor((endExclusive - first) / DAY_MS);
  const weeks = Math.min(13, Math.floor(days / 14));
  if (weeks < 1) throw new RangeError(`The data cover ${days} day(s); a briefing compares two periods of at least a week each. Load a longer call log.`);
  const cs = endExclusive - weeks * 7 * DAY_MS;
  const ps = cs - weeks * 7 * DAY_MS;
  return { current: custom(cs, endExclusive, `${weeks} weeks`), previous: custom(ps, cs, `${weeks} weeks`) };
}

/** Validates an analyst-chosen pair of ranges (the dialog's "two date ranges"). */
export function customPeriods(current: { start: string; end: string }, previous: { start: string; end: string }): { current: Period; previous: Period } {
  const check = (p: { start: string; end: string }, what: string) => {
    const s = parse(p.start);
    const e = parse(p.end);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(p.start) || !/^\d{4}-\d{2}-\d{2}$/.test(p.end) || !Number.isFinite(s) || !Number.isFinite(e) || e <= s) {
      throw new RangeError(`The ${what} period must be two dates YYYY-MM-DD with the end after the start (got ${p.start} – ${p.end}).`);
    }
    return [s, e] as const;
  };
  const [cs, ce] = check(current, 'current');
  const [ps, pe] = check(previous, 'previous');
  if (pe > cs) throw new RangeError('The previous period must end on or before the day the current period starts, so no call is counted twice.');
  const days = (a: number, b: number) => `${Math.round((b - a) / DAY_MS)} days`;
  return { current: custom(cs, ce, days(cs, ce)), previous: custom(ps, pe, days(ps, pe)) };
}

function shiftMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

function quarter(start: number, end: number): Period {
  const d = new Date(start);
  return { start: iso(start), end: iso(end), label: `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}` };
}

function custom(start: number, end: number, length: string): Period {
  return { start: iso(start), end: iso(end), label: `${formatDay(iso(start))} – ${formatDay(iso(end - DAY_MS))} (${length})` };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026-09-27' → '27 Sep 2026' (unambiguous for any reader, no locale needed). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

/** Inclusive last day of a period, for display. */
export function lastDay(p: Period): string {
  return iso(parse(p.end) - DAY_MS);
}
