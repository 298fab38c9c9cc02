/**
 * One unit's visits in one shift, following the Koper curve as the Sacramento trial used it
 * (methods.md §8): ~15-minute stops (10–16 allowed), each place revisited about every 90–120
 * minutes, in a random order per round that is drawn from a recorded seed, so routes are
 * unpredictable on the street yet reproducible on paper.
 */
import { seededUniform, shuffleInPlace } from './random';
import { type PlanarPoint, type TravelOptions, travelMinutes } from './travel';

export const KOPER = {
  dwellMinutes: 15,
  minDwellMinutes: 10,
  maxDwellMinutes: 16,
  /** Koper (1995): benefit levels off after ~15 min; minutes beyond this per visit add nothing. */
  valuedMinutesPerVisit: 15,
  revisitMinutes: 100,
  maxRevisitMinutes: 120,
} as const;

export interface SchedulePlace extends PlanarPoint {
  id: string;
}

export interface ScheduleOptions extends TravelOptions {
  /** minutes from shift start to shift end */
  shiftMinutes: number;
  dwellMinutes?: number;
  /** target gap between the starts of two rounds */
  revisitMinutes?: number;
  /** minutes before the first round (roll call, getting the car) */
  startOffsetMinutes?: number;
  seed: number;
}

export interface Visit {
  placeId: string;
  round: number;
  /** minutes after shift start */
  arriveMinute: number;
  leaveMinute: number;
  travelMinutesBefore: number;
}

export interface PlaceDosage {
  placeId: string;
  visits: number;
  presenceMinutes: number;
  /** presence capped at 15 min per visit: what the Koper evidence says buys deterrence */
  valuedMinutes: number;
  /** largest gap between two consecutive arrivals (null with fewer than 2 visits) */
  maxGapMinutes: number | null;
}

export interface UnitSchedule {
  seed: number;
  /** the shift's visit order (place ids) */
  order: string[];
  visits: Visit[];
  dosage: PlaceDosage[];
  /** minutes of one round in the shift's order: stops, drives between them and back to the first */
  roundMinutes: number;
  travelMinutes: number;
  /** places dropped because one round would not fit in the revisit interval */
  dropped: string[];
  warnings: string[];
}

/**
 * Rounds start every `revisitMinutes` from the start offset; in each round the unit visits every
 * place in the shift's shuffled order. Between rounds the unit is free for calls. Places are given
 * in priority order: if one round takes longer than the revisit interval, the lowest-priority
 * places are dropped (and reported) rather than stretching every gap past 2 hours.
 */
export function scheduleVisits(places: readonly SchedulePlace[], o: ScheduleOptions): UnitSchedule {
  const dwell = o.dwellMinutes ?? KOPER.dwellMinutes;
  if (!(dwell >= KOPER.minDwellMinutes && dwell <= KOPER.maxDwellMinutes)) {
    throw new RangeError(`A visit must last ${KOPER.minDwellMinutes}–${KOPER.maxDwellMinutes} minutes (Koper curve; got ${dwell}). Under 10 buys little residual deterrence, over 16 adds nothing.`);
  }
  const revisit = o.revisitMinutes ?? KOPER.revisitMinutes;
  if (!(revisit > 0 && revisit <= 24 * 60)) throw new RangeError(`The revisit interval must be a positive number of minutes (got ${revisit}).`);
  if (!(o.shiftMinutes > 0)) throw new RangeError(`The shift must last a positive number of minutes (got ${o.shiftMinutes}).`);
  const warnings: string[] = [];
  if (revisit > KOPER.maxRevisitMinutes) warnings.push(`Places are revisited every ${revisit} min; the Sacramento protocol aimed for at least once every ${KOPER.maxRevisitMinutes} min.`);
  const uniform = seededUniform(mixSeed(o.seed));
  const order = shuffleInPlace(places.slice(), uniform);
  const dropped: string[] = [];
  // A round is a cycle: every stop, the drives between them and the drive back to the first. If it
  // is no longer than the revisit interval, every place is reached exactly every interval.
  const cycleOf = (ps: readonly SchedulePlace[]) =>
    ps.reduce((t, p, i) => t + dwell + (i > 0 ? travelMinutes(ps[i - 1]!, p, o) : 0), 0) + (ps.length > 1 ? travelMinutes(ps[ps.length - 1]!, ps[0]!, o) : 0);
  while (order.length > 1 && cycleOf(order) > revisit) {
    // drop the lowest-priority place still in the round (places come in priority order)
    const worst = order.reduce((w, p, i) => (places.indexOf(p) > places.indexOf(order[w]!) ? i : w), 0);
    dropped.unshift(order.splice(worst, 1)[0]!.id);
  }
  if (dropped.length) warnings.push(`${dropped.length} place(s) left out: one round of ${order.length + dropped.length} visits would take longer than the ${revisit}-minute revisit interval.`);
  const kept = places.filter((p) => order.includes(p));
  const start = o.startOffsetMinutes ?? 15;
  const visits: Visit[] = [];
  let totalTravel = 0;
  for (let round = 0, roundStart = start; roundStart < o.shiftMinutes; round++, roundStart += revisit) {
    // From round 2 on the unit leaves the last place early enough to reach the first one at the
    // round start, so every place's gap is the revisit interval (not interval + drive back).
    let prev: SchedulePlace | null = round > 0 ? order[order.length - 1]! : null;
    const lastLeave = visits.length ? visits[visits.length - 1]!.leaveMinute : 0;
    let t = prev ? Math.max(lastLeave, roundStart - travelMinutes(prev, order[0]!, o)) : roundStart;
    for (const p of order) {
      const travel = prev ? travelMinutes(prev, p, o) : 0;
      if (t + travel + dwell > o.shiftMinutes) break;
      visits.push({ placeId: p.id, round, arriveMinute: t + travel, leaveMinute: t + travel + dwell, travelMinutesBefore: travel });
      totalTravel += travel;
      t += travel + dwell;
      prev = p;
    }
  }
  const dosage = kept.map((p): PlaceDosage => {
    const mine = visits.filter((v) => v.placeId === p.id);
    let maxGap: number | null = null;
    for (let i = 1; i < mine.length; i++) maxGap = Math.max(maxGap ?? 0, mine[i]!.arriveMinute - mine[i - 1]!.arriveMinute);
    return {
      placeId: p.id,
      visits: mine.length,
      presenceMinutes: mine.length * dwell,
      valuedMinutes: mine.length * Math.min(dwell, KOPER.valuedMinutesPerVisit),
      maxGapMinutes: maxGap,
    };
  });
  const longest = Math.max(0, ...dosage.map((d) => d.maxGapMinutes ?? 0));
  if (longest > KOPER.maxRevisitMinutes) warnings.push(`The longest gap between two visits to one place is ${Math.round(longest)} min, over the ${KOPER.maxRevisitMinutes}-minute target.`);
  return { seed: o.seed, order: order.map((p) => p.id), visits, dosage, roundMinutes: cycleOf(order), travelMinutes: totalTravel, dropped, warnings };
}

/**
 * d3's LCG gives nearly equal first draws for nearby seeds (seeds 0…19 yielded 2 distinct orders of
 * 3 places), and plan seeds are consecutive by design; a 32-bit avalanche (murmur3 finaliser)
 * spreads them before the LCG sees them.
 */
export function mixSeed(seed: number): number {
  let h = seed >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
