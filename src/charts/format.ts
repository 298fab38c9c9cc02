/** Numbers and labels as analysts read them aloud: thousands separators, real minus signs. */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MINUS = '\u2212';

export function formatCount(n: number): string {
  return integer.format(n);
}

export function calls(n: number): string {
  return `${formatCount(n)} call${n === 1 ? '' : 's'}`;
}

export function formatRate(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : oneDecimal.format(v);
}

/** +12 / −5 / 0, with the typographic minus (screen readers say "minus"). */
export function formatChange(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  return `${v > 0 ? '+' : MINUS}${integer.format(Math.abs(v))}`;
}

export function formatPercentChange(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const r = Math.round(v);
  return r === 0 ? '0 %' : `${r > 0 ? '+' : MINUS}${integer.format(Math.abs(r))} %`;
}

export function hourLabel(h: number): string {
  return `${String(h % 24).padStart(2, '0')}:00`;
}

/** '2026-08-01' → 'Sat 1 Aug 2026' (calendar date, no time zone involved). */
export function dateLabel(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const dow = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return `${WEEKDAYS_SHORT[dow]} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** Add days to a 'YYYY-MM-DD' date (UTC arithmetic on a calendar date). */
export function addDays(isoDate: string, days: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
