/**
 * Demo period and wall-clock arithmetic. Times are agency-local (America/Chicago) wall clock
 * held as "UTC" milliseconds, exactly how a naive TIMESTAMP behaves in DuckDB. The period
 * has no DST change (2026 DST ends on 1 November), so every local time exists exactly once.
 */
export const TIME_ZONE = 'America/Chicago';
export const START_DATE = '2026-06-29';
export const END_DATE = '2026-09-27';
export const DAYS = 91;
export const WEEKS = 13;
export const START_MS = Date.UTC(2026, 5, 29);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD HH:MM:SS', the ISO-like form open-data portals export and DuckDB casts. */
export function formatLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The night a late call belongs to: the calendar date of (time − 12 h). */
export function nightOf(ms: number): string {
  return dateOf(ms - 12 * HOUR_MS);
}

export function hourOf(ms: number): number {
  return new Date(ms).getUTCHours();
}

/** 0 = Monday … 6 = Sunday (the period starts on a Monday). */
export function dowOf(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7;
}

/** 1-based week of the demo period. */
export function weekOf(ms: number): number {
  return Math.floor((ms - START_MS) / (7 * DAY_MS)) + 1;
}
