import type { Draft } from './calls';
import type { XY } from './geo';
import type { Rng } from './rng';
import { BLOCK_METERS, blockAddressOf, snapToStreet } from './streets';
import { DAY_MS, DAYS, dowOf, HOUR_MS, START_MS } from './time';

/** The exact recipe of each planted pattern; truth.json records these plus what was observed. */
export const LOITERING = {
  types: ['LOIT', 'SUSP'],
  /** calls land within this distance of the hub point (the definition radius is larger) */
  scatterMeters: 55,
  definitionRadiusMeters: 80,
  startHour: 20,
  endHour: 2,
  lastWeeks: 6,
  nights: 22,
} as const;
export const REPEAT_ADDRESS = { types: ['NOISE', 'DIST'], startHour: 19, endHour: 24 } as const;
export const EMERGING = {
  types: ['THEFT', 'VAND', 'SUSV'],
  armMeters: 120,
  definitionRadiusMeters: 150,
  baselineWeeks: 9,
  baselinePerWeek: 1.5,
  risingPerWeek: [14, 18, 22, 26],
} as const;
export const UNDER_TRIAGE = { initialType: 'NOISE', finalType: 'SHOTS', startHour: 22, endHour: 2, calls: 110 } as const;

const disc = (c: XY, radius: number, rng: Rng): XY => {
  const r = radius * Math.sqrt(rng.next());
  const th = rng.uniform(0, 2 * Math.PI);
  return { x: c.x + r * Math.cos(th), y: c.y + r * Math.sin(th) };
};

/** A time in [startHour, startHour + spanHours) on the evening of `day` (may cross midnight). */
const eveningTime = (day: number, startHour: number, spanHours: number, rng: Rng) =>
  START_MS + day * DAY_MS + startHour * HOUR_MS + rng.int(0, spanHours * 3600) * 1000;

export function loiteringDrafts(hub: XY, rng: Rng): { drafts: Draft[]; nights: number[] } {
  const first = DAYS - 7 * LOITERING.lastWeeks;
  const days = Array.from({ length: 7 * LOITERING.lastWeeks }, (_, i) => first + i);
  // Thursday–Saturday nights are favoured, as with real nightlife-adjacent loitering.
  const chosen: number[] = [];
  while (chosen.length < LOITERING.nights) {
    const d = rng.weighted(days, (x) => (chosen.includes(x) ? 0 : dowOf(START_MS + x * DAY_MS) >= 3 && dowOf(START_MS + x * DAY_MS) <= 5 ? 2 : 1));
    chosen.push(d);
  }
  chosen.sort((a, b) => a - b);
  const drafts: Draft[] = [];
  for (const day of chosen) {
    const n = Math.min(4, 1 + rng.poisson(0.9));
    // The last night of the period ends at midnight: no after-midnight calls beyond the data.
    const span = day === DAYS - 1 ? 24 - LOITERING.startHour : 24 - LOITERING.startHour + LOITERING.endHour;
    for (let k = 0; k < n; k++) {
      const xy = disc(hub, LOITERING.scatterMeters, rng);
      drafts.push({
        receivedMs: eveningTime(day, LOITERING.startHour, span, rng),
        code: rng.chance(0.6) ? 'LOIT' : 'SUSP',
        xy,
        blockAddress: snapToStreet(xy, rng).blockAddress,
        selfInitiated: rng.chance(0.1),
        pattern: 'loitering-near-hub',
      });
    }
  }
  return { drafts, nights: chosen };
}

export function repeatAddressDrafts(blockStart: XY, rng: Rng): { drafts: Draft[]; blockAddress: string; center: XY } {
  const center = { x: blockStart.x + BLOCK_METERS / 2, y: blockStart.y };
  const blockAddress = blockAddressOf(center, true);
  const drafts: Draft[] = [];
  for (let day = 0; day < DAYS; day++) {
    const dow = dowOf(START_MS + day * DAY_MS);
    if (!rng.chance(dow === 4 || dow === 5 ? 0.8 : 0.38)) continue;
    const n = rng.chance(0.25) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      drafts.push({
        receivedMs: eveningTime(day, REPEAT_ADDRESS.startHour, REPEAT_ADDRESS.endHour - REPEAT_ADDRESS.startHour, rng),
        code: rng.chance(0.65) ? 'NOISE' : 'DIST',
        // Same house, so the same frontage: only geocoder jitter along the block.
        xy: { x: center.x + rng.uniform(-12, 12), y: center.y + 9 + rng.uniform(-2, 2) },
        blockAddress,
        pattern: 'repeat-nuisance-address',
      });
    }
  }
  return { drafts, blockAddress, center };
}

export function emergingDrafts(site: XY, rng: Rng): { drafts: Draft[]; plantedPerWeek: number[] } {
  const drafts: Draft[] = [];
  const plantedPerWeek: number[] = [];
  for (let week = 1; week <= 13; week++) {
    const rising = EMERGING.risingPerWeek[week - 1 - EMERGING.baselineWeeks];
    const n = rising ?? rng.poisson(EMERGING.baselinePerWeek);
    plantedPerWeek.push(n);
    for (let k = 0; k < n; k++) {
      const day = (week - 1) * 7 + rng.int(0, 7);
      // Vehicle break-ins along the four street arms of one intersection (a new parking lot).
      const along = rng.uniform(0, EMERGING.armMeters);
      const arm = rng.int(0, 4);
      const side = rng.uniform(-9, 9);
      const xy = [
        { x: site.x + along, y: site.y + side },
        { x: site.x - along, y: site.y + side },
        { x: site.x + side, y: site.y + along },
        { x: site.x + side, y: site.y - along },
      ][arm]!;
      const span = day === DAYS - 1 ? 6 : 9;
      const r = rng.next();
      drafts.push({
        receivedMs: eveningTime(day, 18, span, rng),
        code: r < 0.5 ? 'THEFT' : r < 0.75 ? 'VAND' : 'SUSV',
        xy,
        blockAddress: blockAddressOf({ x: arm < 2 ? xy.x : site.x, y: arm < 2 ? site.y : xy.y }, arm < 2),
        pattern: 'emerging-hotspot',
      });
    }
  }
  return { drafts, plantedPerWeek };
}

/** Noise complaints that turned out to be gunfire, concentrated in the late-evening band. */
export function underTriageDrafts(rng: Rng, pointIn: (rng: Rng) => XY): Draft[] {
  const drafts: Draft[] = [];
  for (let k = 0; k < UNDER_TRIAGE.calls; k++) {
    const day = rng.int(0, DAYS - 1);
    drafts.push({
      receivedMs: eveningTime(day, UNDER_TRIAGE.startHour, 24 - UNDER_TRIAGE.startHour + UNDER_TRIAGE.endHour, rng),
      code: UNDER_TRIAGE.finalType,
      initialCode: UNDER_TRIAGE.initialType,
      xy: pointIn(rng),
      channel: 'phone',
      pattern: 'under-triage',
    });
  }
  return drafts;
}
