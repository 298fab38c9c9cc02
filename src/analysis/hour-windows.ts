/**
 * Hour-of-day windows such as 20:00–02:00 that may cross midnight. Calls carry wall-clock time
 * stored as if UTC (`receivedAtMs`), so all calendar arithmetic here uses the UTC getters.
 *
 * A window is the half-open interval [startHour, endHour) on the clock. When it crosses midnight
 * (endHour ≤ startHour) the part after midnight belongs to the PREVIOUS evening's night: a call
 * at 01:30 on Tuesday is in Monday night's 20–02 window, and "distinct nights" count that start date.
 */
export interface HourWindow {
  /** Stable id, e.g. "20-02". */
  id: string;
  /** For display, e.g. "20:00–02:00". */
  label: string;
  startHour: number;
  /** Exclusive; 24 means midnight at the end of the day. */
  endHour: number;
  crossesMidnight: boolean;
}

const DAY_MS = 86_400_000;

export function hourWindow(startHour: number, endHour: number): HourWindow {
  for (const [name, h] of [
    ['start', startHour],
    ['end', endHour],
  ] as const) {
    if (!Number.isInteger(h) || h < 0 || h > 24) throw new RangeError(`The ${name} hour must be a whole hour from 0 to 24 (got ${h}).`);
  }
  if (startHour === 24) throw new RangeError('A window cannot start at 24; use 0 for midnight.');
  if (startHour === endHour) {
    throw new RangeError(`Window ${pad(startHour)}–${pad(endHour)} has no length; use 00-24 for the whole day.`);
  }
  const end = endHour === 0 ? 24 : endHour;
  const crossesMidnight = end < startHour;
  return {
    id: `${pad(startHour)}-${pad(end)}`,
    label: `${pad(startHour)}:00–${pad(end % 24)}:00`,
    startHour,
    endHour: end,
    crossesMidnight,
  };
}

function pad(h: number): string {
  return String(h).padStart(2, '0');
}

const WINDOW_TEXT = /^\s*(\d{1,2})(?::00)?\s*[-–—]\s*(\d{1,2})(?::00)?\s*$/;

/** Parse "20-02", "20:00-02:00" or "20–2" (en dash). Errors say what was wrong and show the expected form. */
export function parseHourWindow(text: string): HourWindow {
  const match = WINDOW_TEXT.exec(text);
  if (!match) {
    throw new RangeError(`"${text}" is not an hour window. Write it as start-end in whole hours, for example 20-02 (8 pm to 2 am).`);
  }
  try {
    return hourWindow(Number(match[1]), Number(match[2]));
  } catch (e) {
    throw new RangeError(`"${text}": ${(e as Error).message}`);
  }
}

/** Comma- or semicolon-separated list, e.g. "06-14, 14-20, 20-02"; duplicates are refused. */
export function parseHourWindows(text: string): HourWindow[] {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new RangeError('No hour windows given. Write for example 20-02 or 06-14, 14-20, 20-02.');
  const windows = parts.map(parseHourWindow);
  const seen = new Set<string>();
  for (const w of windows) {
    if (seen.has(w.id)) throw new RangeError(`Hour window ${w.label} is listed twice.`);
    seen.add(w.id);
  }
  return windows;
}

/** Day (06–14), evening (14–20), night (20–02) and the small hours (02–06): a typical shift split. */
export const DEFAULT_HOUR_WINDOWS: readonly HourWindow[] = [hourWindow(6, 14), hourWindow(14, 20), hourWindow(20, 2), hourWindow(2, 6)];

const HOUR_MS = 3_600_000;
// Date's own range: outside it `new Date(ms)` is invalid and its hours NaN
const MAX_DATE_MS = 8.64e15;

/** Integer arithmetic instead of a Date per call (equal to getUTCHours on Date's range). */
export function hourOfDay(receivedAtMs: number): number {
  if (!(Math.abs(receivedAtMs) <= MAX_DATE_MS)) return Number.NaN;
  // Date truncates a fractional time value toward zero first (TimeClip)
  const h = Math.floor(Math.trunc(receivedAtMs) / HOUR_MS) % 24;
  return h < 0 ? h + 24 : h + 0; // + 0 turns -0 into 0, as Date
}

export function windowContainsHour(window: HourWindow, hour: number): boolean {
  if (window.crossesMidnight) return hour >= window.startHour || hour < window.endHour;
  return hour >= window.startHour && hour < window.endHour;
}

/**
 * Start date (YYYY-MM-DD) of the night this call belongs to in the window, or null if outside it.
 * For windows that do not cross midnight this is simply the call's date.
 */
export function windowNightDate(window: HourWindow, receivedAtMs: number): string | null {
  const hour = hourOfDay(receivedAtMs);
  if (!windowContainsHour(window, hour)) return null;
  const shifted = window.crossesMidnight && hour < window.endHour ? receivedAtMs - DAY_MS : receivedAtMs;
  return isoDate(shifted);
}

// Days already formatted: a cluster run formats each call's date once per window and summary,
// and a city's calls fall on a few thousand days, so toISOString per call was its hot spot.
const isoByDay = new Map<number, string>();

export function isoDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = isoByDay.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoByDay.size >= 100_000) isoByDay.clear();
    isoByDay.set(day, text);
  }
  return text;
}

/** Window length in hours (e.g. 6 for 20–02). */
export function windowHours(window: HourWindow): number {
  return window.crossesMidnight ? 24 - window.startHour + window.endHour : window.endHour - window.startHour;
}

/** Hours of the window in clock order from its start, e.g. [20, 21, 22, 23, 0, 1]. */
export function windowHourList(window: HourWindow): number[] {
  return Array.from({ length: windowHours(window) }, (_, i) => (window.startHour + i) % 24);
}
