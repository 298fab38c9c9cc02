import { distXY, type XY } from './geo';
import { BLOCK_METERS, intersectionName, lineIndex } from './streets';

/**
 * A small bus network on the street grid. Most routes start at or pass the downtown
 * transit centre (hub H1, a parent station with one bay per route); four routes cross at
 * a second, unsignposted transfer point (hub H2) that only the route shapes reveal.
 * Like the New Orleans feed, there is deliberately no stop_times.txt.
 */
export interface DemoRoute {
  id: string;
  shortName: string;
  longName: string;
  /** GTFS route_type: 0 streetcar, 3 bus */
  type: 0 | 3;
  color: string;
  /** waypoints on the street grid, metres */
  path: XY[];
}

export interface DemoStop {
  id: string;
  code: string;
  name: string;
  xy: XY;
  locationType: 0 | 1;
  parentStation: string;
  routes: Set<string>;
}

export interface DemoHub {
  id: 'H1' | 'H2';
  name: string;
  xy: XY;
  /** GTFS stop_id of the parent station, when the feed has one */
  parentStopId: string | null;
  routeIds: string[];
}

export interface DemoTransit {
  routes: DemoRoute[];
  stops: DemoStop[];
  hubs: DemoHub[];
}

export const H1: XY = { x: 0, y: 0 };
export const H2: XY = { x: 3600, y: 1200 };
const STOP_SPACING_BLOCKS = 2;
/** Downtown bays sit round a plaza in the block north-east of the central intersection. */
const H1_PLAZA: XY = { x: 40, y: 40 };

const p = (x: number, y: number): XY => ({ x, y });
const ROUTES: DemoRoute[] = [
  { id: 'R1', shortName: '1', longName: 'Juniper Street Streetcar', type: 0, color: 'B5121B', path: [p(-4500, 0), p(3600, 0), p(3600, 1200), p(4500, 1200)] },
  { id: 'R2', shortName: '2', longName: '51st Avenue', type: 3, color: '0067A5', path: [p(0, -4500), p(0, 4500)] },
  { id: 'R3', shortName: '3', longName: 'Northeast Heights', type: 3, color: '2E8B57', path: [p(0, 0), p(1200, 0), p(1200, 3000), p(2700, 3000), p(2700, 3900)] },
  { id: 'R4', shortName: '4', longName: 'Northwest Loop', type: 3, color: '8E44AD', path: [p(0, 0), p(0, 900), p(-2400, 900), p(-2400, 3900)] },
  { id: 'R5', shortName: '5', longName: 'Southwest Crosstown', type: 3, color: 'D35400', path: [p(0, 0), p(-1200, 0), p(-1200, -2700), p(-3600, -2700)] },
  { id: 'R6', shortName: '6', longName: 'Southeast Industrial', type: 3, color: '16A085', path: [p(0, 0), p(0, -900), p(2100, -900), p(2100, -3900)] },
  { id: 'R7', shortName: '7', longName: 'Eastside Crosstown', type: 3, color: 'C0392B', path: [p(3600, -3000), p(3600, 3300)] },
  { id: 'R8', shortName: '8', longName: 'Maple Street', type: 3, color: '2C3E50', path: [p(-1800, 2100), p(-1800, 1200), p(4800, 1200)] },
  { id: 'R9', shortName: '9', longName: 'Downtown–Eastgate Express', type: 3, color: 'F39C12', path: [p(0, 0), p(1800, 0), p(1800, 1200), p(3600, 1200), p(3600, -1800), p(4800, -1800)] },
  { id: 'R10', shortName: '10', longName: 'Westside Circulator', type: 3, color: '7F8C8D', path: [p(-3900, 2400), p(-3900, -1500), p(-1500, -1500), p(-1500, -4200)] },
];

/** Every intersection along a path, in travel order (paths run along grid lines). */
export function densify(path: readonly XY[]): XY[] {
  const out: XY[] = [path[0]!];
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    const steps = Math.round(distXY(a, b) / BLOCK_METERS);
    for (let s = 1; s <= steps; s++) out.push({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
  }
  return out;
}

export function makeTransit(): DemoTransit {
  const stops = new Map<string, DemoStop>();
  const hubStation: DemoStop = {
    id: '9000',
    code: 'DTC',
    name: 'Downtown Transit Center',
    xy: H1_PLAZA,
    locationType: 1,
    parentStation: '',
    routes: new Set(),
  };
  let nextId = 1001;
  const bays: DemoStop[] = [];
  for (const route of ROUTES) {
    const points = densify(route.path);
    points.forEach((pt, i) => {
      const isEnd = i === points.length - 1;
      if (i % STOP_SPACING_BLOCKS !== 0 && !isEnd) return;
      if (distXY(pt, H1) < 1) {
        const bay: DemoStop = {
          id: `9${String(bays.length + 1).padStart(3, '0')}`,
          code: `DTC${String.fromCharCode(65 + bays.length)}`,
          name: `Downtown Transit Center Bay ${String.fromCharCode(65 + bays.length)}`,
          xy: { x: H1_PLAZA.x - 24 + 8 * bays.length, y: H1_PLAZA.y - 18 },
          locationType: 0,
          parentStation: hubStation.id,
          routes: new Set([route.id]),
        };
        bays.push(bay);
        hubStation.routes.add(route.id);
        return;
      }
      const next = points[Math.min(i + 1, points.length - 1)]!;
      const prev = points[Math.max(i - 1, 0)]!;
      const alongX = Math.abs(next.x - prev.x) >= Math.abs(next.y - prev.y);
      // One stop per street direction at an intersection: routes running the same way share a pole.
      const key = `${lineIndex(pt.x)},${lineIndex(pt.y)},${alongX ? 'ew' : 'ns'}`;
      const existing = stops.get(key);
      if (existing) {
        existing.routes.add(route.id);
        return;
      }
      const offset = alongX ? { x: 15, y: 11 } : { x: 11, y: -15 };
      stops.set(key, {
        id: String(nextId),
        code: String(nextId),
        name: intersectionName(pt),
        xy: { x: pt.x + offset.x, y: pt.y + offset.y },
        locationType: 0,
        parentStation: '',
        routes: new Set([route.id]),
      });
      nextId++;
    });
  }
  const h2Routes = ROUTES.filter((r) => densify(r.path).some((pt) => distXY(pt, H2) < 1)).map((r) => r.id);
  const hubs: DemoHub[] = [
    { id: 'H1', name: hubStation.name, xy: H1_PLAZA, parentStopId: hubStation.id, routeIds: [...hubStation.routes] },
    { id: 'H2', name: `Eastgate transfer point (${intersectionName(H2)})`, xy: H2, parentStopId: null, routeIds: h2Routes },
  ];
  return { routes: ROUTES, stops: [hubStation, ...bays, ...stops.values()], hubs };
}
