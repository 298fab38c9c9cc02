import { booleanPointInPolygon, point } from '@turf/turf';
import { CALL_TYPES, type CallType, callType, dispositionWeights, HOUR_PROFILES, INITIAL_CONFUSIONS, weekFactor } from './call-types';
import type { DemoArea, DemoCity } from './city';
import { toLonLat, toXY, type XY } from './geo';
import type { Rng } from './rng';
import { snapToStreet } from './streets';
import { DAY_MS, DAYS, HOUR_MS, hourOf, MINUTE_MS, START_MS } from './time';

export type Channel = 'phone' | 'online' | 'app' | 'walk-in' | 'officer';

/** One exported row, before incident numbers are assigned. */
export interface CallRow {
  incidentNumber: string;
  receivedMs: number;
  dispatchedMs: number | null;
  onSceneMs: number | null;
  clearedMs: number;
  code: string;
  initialCode: string;
  disposition: string;
  selfInitiated: boolean;
  channel: Channel;
  district: string;
  beat: string;
  blockAddress: string;
  lon: number | null;
  lat: number | null;
  areaId: string;
  /** which planted pattern produced the row ('' = background); never exported */
  pattern: string;
}

export interface Draft {
  receivedMs: number;
  code: string;
  initialCode?: string;
  xy: XY;
  selfInitiated?: boolean;
  channel?: Channel;
  disposition?: string;
  /** keep the exact point (e.g. a transit plaza) instead of snapping to a street frontage */
  blockAddress?: string;
  pattern?: string;
}

export interface CallContext {
  city: DemoCity;
  slowAreaIds: ReadonlySet<string>;
  lowDigitalAreaIds: ReadonlySet<string>;
  /** background micro-hotspots (bars, a mall) that make planted patterns non-trivial to find */
  attractors: readonly { xy: XY; radiusMeters: number; groups: readonly CallType['group'][] }[];
}

interface Box {
  area: DemoArea;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}
const boxes = new WeakMap<DemoCity, Box[]>();

function areaBoxes(city: DemoCity): Box[] {
  let b = boxes.get(city);
  if (!b) {
    b = city.areas.map((area) => {
      const rings = area.geometry.type === 'Polygon' ? [area.geometry.coordinates[0]!] : area.geometry.coordinates.map((p) => p[0]!);
      const pts = rings.flat().map((p) => toXY(p[0]!, p[1]!));
      const xs = pts.map((p) => p.x);
      const ys = pts.map((p) => p.y);
      return { area, minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
    });
    boxes.set(city, b);
  }
  return b;
}

export function areaContaining(city: DemoCity, xy: XY): DemoArea | undefined {
  const pt = point(toLonLat(xy));
  for (const b of areaBoxes(city)) {
    if (xy.x < b.minX || xy.x > b.maxX || xy.y < b.minY || xy.y > b.maxY) continue;
    if (booleanPointInPolygon(pt, b.area.geometry)) return b.area;
  }
  return undefined;
}

function pointInArea(city: DemoCity, area: DemoArea, rng: Rng): XY {
  const b = areaBoxes(city).find((x) => x.area === area)!;
  for (let i = 0; i < 500; i++) {
    const p = { x: rng.uniform(b.minX, b.maxX), y: rng.uniform(b.minY, b.maxY) };
    if (booleanPointInPolygon(point(toLonLat(p)), area.geometry)) return p;
  }
  return area.site;
}

const DOWNTOWN_BOOST: ReadonlySet<CallType['group']> = new Set(['property', 'disorder', 'traffic', 'proactive']);

function areaWeight(area: DemoArea, type: CallType): number {
  // Calls scale a little less than linearly with residents; downtown draws visitors.
  const boost = area.name === 'Downtown' && DOWNTOWN_BOOST.has(type.group) ? 3 : 1;
  return area.population ** 0.85 * boost;
}

/** per city, per call type: area → weight (computed once; weighted picks run 50k times) */
const areaWeights = new WeakMap<DemoCity, Map<string, Map<DemoArea, number>>>();

function backgroundPoint(ctx: CallContext, type: CallType, rng: Rng): XY {
  const near = ctx.attractors.filter((a) => a.groups.includes(type.group));
  if (near.length > 0 && rng.chance(0.1)) {
    const a = rng.pick(near);
    const r = a.radiusMeters * Math.sqrt(rng.next());
    const th = rng.uniform(0, 2 * Math.PI);
    return { x: a.xy.x + r * Math.cos(th), y: a.xy.y + r * Math.sin(th) };
  }
  let byType = areaWeights.get(ctx.city);
  if (!byType) {
    byType = new Map();
    areaWeights.set(ctx.city, byType);
  }
  let w = byType.get(type.code);
  if (!w) {
    w = new Map(ctx.city.areas.map((a) => [a, areaWeight(a, type)]));
    byType.set(type.code, w);
  }
  const weights = w;
  const area = rng.weighted(ctx.city.areas, (a) => weights.get(a)!);
  return pointInArea(ctx.city, area, rng);
}

function initialFor(code: string, rng: Rng): string {
  for (const [initial, p] of INITIAL_CONFUSIONS[code] ?? []) if (rng.chance(p)) return initial;
  return code;
}

/** Background calls for the whole period: Poisson counts per type and hour of the period. */
export function backgroundDrafts(ctx: CallContext, targetCalls: number, rng: Rng): Draft[] {
  const nominal = CALL_TYPES.reduce((s, t) => s + t.perDay, 0) * DAYS;
  const scale = targetCalls / nominal;
  const drafts: Draft[] = [];
  for (let day = 0; day < DAYS; day++) {
    const dow = day % 7;
    for (let hour = 0; hour < 24; hour++) {
      for (const type of CALL_TYPES) {
        const profile = HOUR_PROFILES[type.profile];
        const share = profile[hour]! / profile.reduce((s, v) => s + v, 0);
        const n = rng.poisson(scale * type.perDay * share * weekFactor(type, dow, hour));
        for (let k = 0; k < n; k++) {
          const receivedMs = START_MS + day * DAY_MS + hour * HOUR_MS + rng.int(0, 3600) * 1000;
          const selfInitiated = rng.chance(type.selfInitiated);
          drafts.push({
            receivedMs,
            code: type.code,
            initialCode: selfInitiated ? type.code : initialFor(type.code, rng),
            xy: backgroundPoint(ctx, type, rng),
            selfInitiated,
          });
        }
      }
    }
  }
  return drafts;
}

function pickChannel(ctx: CallContext, area: DemoArea, type: CallType, rng: Rng): Channel {
  const lowDigital = ctx.lowDigitalAreaIds.has(area.id);
  if (!type.onlineEligible) return rng.chance(0.96) ? 'phone' : 'walk-in';
  // The digital-access gap: online and app reports are rare where home internet and smartphones are.
  const weights: [Channel, number][] = lowDigital
    ? [['phone', 0.88], ['online', 0.02], ['app', 0.03], ['walk-in', 0.07]]
    : [['phone', 0.68], ['online', 0.13], ['app', 0.14], ['walk-in', 0.05]];
  return rng.weighted(weights, (w) => w[1])[0];
}

const DISPATCH_MEDIAN_MINUTES = { '1': 1.5, '2': 5, '3': 12, '4': 25 } as const;
const ON_SCENE_MEDIAN_MINUTES = { 1: 15, 2: 25, 3: 55 } as const;
/** Outskirts beats cover more ground with fewer cars: travel takes this much longer. */
export const SLOW_TRAVEL_FACTOR = 2.3;

/** Turn a draft into a full row: place it, then time, channel and outcome. */
export function completeCall(ctx: CallContext, draft: Draft, rng: Rng): CallRow | null {
  const type = callType(draft.code);
  const initial = callType(draft.initialCode ?? draft.code);
  let xy = draft.xy;
  let blockAddress = draft.blockAddress;
  if (!blockAddress) {
    const placed = snapToStreet(xy, rng);
    xy = placed;
    blockAddress = placed.blockAddress;
  }
  const area = areaContaining(ctx.city, xy);
  if (!area) return null;
  const selfInitiated = draft.selfInitiated ?? false;
  const channel: Channel = selfInitiated ? 'officer' : (draft.channel ?? pickChannel(ctx, area, type, rng));
  const weights = dispositionWeights(type.code);
  let disposition = draft.disposition ?? rng.weighted(weights, (w) => w[1])[0];
  const received = draft.receivedMs;
  let dispatched: number | null = null;
  let onScene: number | null = null;
  let cleared: number;
  const onSceneMinutes = rng.logNormal(ON_SCENE_MEDIAN_MINUTES[type.tier], 0.6);
  if (selfInitiated) {
    dispatched = received;
    onScene = received;
    cleared = received + onSceneMinutes * MINUTE_MS;
  } else if (channel === 'online') {
    // Online reports are reviewed by a desk officer later; nobody is sent.
    disposition = 'REPORT TAKEN';
    cleared = received + rng.logNormal(6 * 60, 0.7) * MINUTE_MS;
  } else {
    const hour = hourOf(received);
    // Call-takers queue by the priority they first assigned, so under-triaged calls wait.
    const queueMinutes = rng.logNormal(DISPATCH_MEDIAN_MINUTES[initial.priority], 0.7) * (hour >= 17 ? 1.3 : 1);
    const km = Math.hypot(xy.x, xy.y) / 1000;
    const travelMedian = (4.5 + 0.45 * km) * (ctx.slowAreaIds.has(area.id) ? SLOW_TRAVEL_FACTOR : 1) * (type.priority === '1' ? 0.75 : 1);
    const travelMinutes = rng.logNormal(travelMedian, 0.45);
    if (disposition === 'CANCELLED') {
      if (rng.chance(0.5)) dispatched = received + queueMinutes * MINUTE_MS;
      cleared = received + (queueMinutes + rng.uniform(1, 10)) * MINUTE_MS;
    } else {
      dispatched = received + queueMinutes * MINUTE_MS;
      // A few arrivals are never keyed in (radio traffic, busy officer), as in real CAD exports.
      onScene = rng.chance(0.02) ? null : dispatched + travelMinutes * MINUTE_MS;
      cleared = dispatched + (travelMinutes + onSceneMinutes) * MINUTE_MS;
    }
  }
  const sec = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000) * 1000);
  const [lon, lat] = toLonLat(xy);
  return {
    incidentNumber: '',
    receivedMs: received,
    dispatchedMs: sec(dispatched),
    onSceneMs: sec(onScene),
    clearedMs: sec(cleared)!,
    code: type.code,
    initialCode: initial.code,
    disposition,
    selfInitiated,
    channel,
    district: area.district,
    beat: area.beat,
    blockAddress,
    lon,
    lat,
    areaId: area.id,
    pattern: draft.pattern ?? '',
  };
}
