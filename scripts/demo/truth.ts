import { callType } from './call-types';
import type { CallRow } from './calls';
import type { DemoArea } from './city';
import { haversineMeters, toLonLat, type XY } from './geo';
import { dateOf, DAY_MS, hourOf, nightOf, START_MS, weekOf } from './time';

/** One row per incident number (the first), as the app counts after de-duplication. */
export function distinctCalls(rows: readonly CallRow[]): CallRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    if (seen.has(r.incidentNumber)) return false;
    seen.add(r.incidentNumber);
    return true;
  });
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Hour band [start, end) that may wrap past midnight (e.g. 20 → 2). */
export function inHourBand(ms: number, startHour: number, endHour: number): boolean {
  const h = hourOf(ms);
  return startHour < endHour ? h >= startHour && h < endHour : h >= startHour || h < endHour;
}

export function within(r: CallRow, center: XY, radiusMeters: number): boolean {
  if (r.lon === null || r.lat === null) return false;
  const [lon, lat] = toLonLat(center);
  return haversineMeters(lon, lat, r.lon, r.lat) <= radiusMeters;
}

/** Minutes from call received to first unit on scene: resident calls with a recorded arrival. */
export function responseMinutes(r: CallRow): number | null {
  if (r.selfInitiated || r.onSceneMs === null) return null;
  return (r.onSceneMs - r.receivedMs) / 60_000;
}

export function areaResponse(calls: readonly CallRow[], areas: readonly DemoArea[]) {
  const by = (pred: (r: CallRow) => boolean) =>
    median(calls.filter(pred).map(responseMinutes).filter((v): v is number => v !== null));
  return areas.map((a) => ({ id: a.id, name: a.name, beat: a.beat, medianResponseMinutes: by((r) => r.areaId === a.id) }));
}

export function digitalShare(calls: readonly CallRow[], pred: (r: CallRow) => boolean): number {
  const eligible = calls.filter((r) => pred(r) && !r.selfInitiated && callType(r.code).onlineEligible);
  const digital = eligible.filter((r) => r.channel === 'online' || r.channel === 'app').length;
  return eligible.length ? digital / eligible.length : 0;
}

export function lastWeeksStartMs(weeks: number, totalDays: number): number {
  return START_MS + (totalDays - 7 * weeks) * DAY_MS;
}

export { dateOf, nightOf, weekOf };
