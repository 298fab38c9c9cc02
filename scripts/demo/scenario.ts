import type { CallType } from './call-types';
import type { DemoArea, DemoCity } from './city';
import { distXY, type XY } from './geo';
import type { Rng } from './rng';
import { BLOCK_METERS, lineCoord, lineIndex } from './streets';
import { H1, H2 } from './transit';

/** Where the planted patterns and the background structure go, chosen once per seed. */
export interface Scenario {
  slowAreas: DemoArea[];
  lowDigitalAreas: DemoArea[];
  /** west end of the repeat-nuisance block, on an east–west street */
  repeatBlockStart: XY;
  /** intersection at the heart of the emerging hotspot */
  emergingSite: XY;
  attractors: { xy: XY; radiusMeters: number; groups: CallType['group'][] }[];
}

const angleOf = (a: DemoArea) => Math.atan2(a.site.y, a.site.x);
const angleGap = (a: number, b: number) => {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return Math.min(d, 2 * Math.PI - d);
};

export function makeScenario(city: DemoCity, rng: Rng): Scenario {
  // Slow: the three most remote neighbourhoods on different sides of town.
  const slowAreas: DemoArea[] = [];
  for (const a of [...city.areas].sort((x, y) => y.distanceFromCenterMeters - x.distanceFromCenterMeters)) {
    if (slowAreas.length < 3 && slowAreas.every((s) => angleGap(angleOf(s), angleOf(a)) > (70 * Math.PI) / 180)) slowAreas.push(a);
  }
  const taken = new Set(slowAreas.map((a) => a.id));
  // Low digital access: a contiguous band of mid-ring neighbourhoods on one side of town.
  const theta = rng.uniform(-Math.PI, Math.PI);
  const lowDigitalAreas = city.areas
    .filter((a) => !taken.has(a.id) && a.name !== 'Downtown' && a.distanceFromCenterMeters > 1800 && a.distanceFromCenterMeters < 5200)
    .sort((x, y) => angleGap(angleOf(x), theta) - angleGap(angleOf(y), theta))
    .slice(0, 3);
  for (const a of lowDigitalAreas) taken.add(a.id);

  const farFromHubs = (p: XY) => distXY(p, H1) > 1500 && distXY(p, H2) > 1000;
  const candidates = rng.shuffle(
    city.areas.filter((a) => !taken.has(a.id) && a.distanceFromCenterMeters > 1800 && a.distanceFromCenterMeters < 4200 && farFromHubs(a.site)),
  );
  const repeatArea = candidates[0];
  const emergingArea = candidates.find((a) => repeatArea && distXY(a.site, repeatArea.site) > 2000);
  if (!repeatArea || !emergingArea) throw new Error('Seed gives no room for the repeat-address and emerging patterns; try another seed.');
  const snapBlock = (p: XY): XY => ({
    x: Math.floor(p.x / BLOCK_METERS) * BLOCK_METERS,
    y: lineCoord(lineIndex(p.y)),
  });
  const repeatBlockStart = snapBlock(repeatArea.site);
  const emergingSite = { x: lineCoord(lineIndex(emergingArea.site.x)), y: lineCoord(lineIndex(emergingArea.site.y)) };

  const planted = [H1, H2, repeatBlockStart, emergingSite];
  const attractors: Scenario['attractors'] = [];
  const groupsCycle: CallType['group'][][] = [['disorder'], ['property'], ['disorder', 'property'], ['disorder', 'violence']];
  for (let tries = 0; attractors.length < 10 && tries < 10_000; tries++) {
    const area = rng.weighted(city.areas, (a) => a.population);
    const xy = { x: area.site.x + rng.uniform(-500, 500), y: area.site.y + rng.uniform(-500, 500) };
    if (planted.some((p) => distXY(p, xy) < 600) || attractors.some((a) => distXY(a.xy, xy) < 600)) continue;
    attractors.push({ xy, radiusMeters: Math.round(rng.uniform(100, 180)), groups: groupsCycle[attractors.length % groupsCycle.length]! });
  }
  return { slowAreas, lowDigitalAreas, repeatBlockStart, emergingSite, attractors };
}
