import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { travelMinutes } from '../../src/analysis/travel';
import { KOPER, scheduleVisits } from '../../src/analysis/visit-schedule';

// Three places on a line, 1 km apart: 1.3 km road at 25 km/h = 3.12 min + 1 min setup.
const places = [
  { id: 'a', x: 0, y: 0 },
  { id: 'b', x: 1000, y: 0 },
  { id: 'c', x: 2000, y: 0 },
];

describe('travelMinutes', () => {
  it('is planar metres × detour / speed plus setup, and zero for the same place', () => {
    expect(travelMinutes(places[0]!, places[1]!)).toBeCloseTo((1.3 / 25) * 60 + 1, 12);
    expect(travelMinutes(places[0]!, places[0]!)).toBe(0);
    expect(travelMinutes({ x: 0, y: 0 }, { x: 3000, y: 4000 }, { detourFactor: 1, speedKmh: 30, setupMinutes: 0 })).toBeCloseTo(10, 12);
    expect(() => travelMinutes(places[0]!, places[1]!, { detourFactor: 0.9 })).toThrow(/at least 1/);
  });
});

describe('scheduleVisits (Koper curve)', () => {
  const base = { shiftMinutes: 8 * 60, seed: 42 };

  it('visits every place each round, 15 min per stop, rounds every 100 min, same order all shift', () => {
    const s = scheduleVisits(places, base);
    expect(s.order.slice().sort()).toEqual(['a', 'b', 'c']);
    const rounds = new Set(s.visits.map((v) => v.round));
    // rounds start at 15, 115, 215, 315, 415 min; the last one is cut by the shift end
    expect(rounds.size).toBe(5);
    for (const v of s.visits) expect(v.leaveMinute - v.arriveMinute).toBeCloseTo(15, 9);
    for (const d of s.dosage) {
      expect(d.maxGapMinutes).not.toBeNull();
      expect(d.maxGapMinutes!).toBeLessThanOrEqual(KOPER.maxRevisitMinutes);
      expect(d.valuedMinutes).toBe(d.presenceMinutes);
    }
    for (const r of rounds) expect(s.visits.filter((v) => v.round === r).map((v) => v.placeId)).toEqual(s.order.slice(0, s.visits.filter((v) => v.round === r).length));
    expect(s.visits.every((v) => v.leaveMinute <= base.shiftMinutes)).toBe(true);
    expect(s.warnings).toEqual([]);
  });

  it('is reproducible from its seed and differs across seeds', () => {
    expect(scheduleVisits(places, base)).toEqual(scheduleVisits(places, base));
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => scheduleVisits(places, { ...base, seed }).order.join()));
    // 3 places have 6 orders; 20 consecutive seeds must reach most of them
    expect(orders.size).toBeGreaterThanOrEqual(5);
  });

  it('caps valued minutes at 15 per visit and refuses dwell outside 10–16', () => {
    const s = scheduleVisits(places, { ...base, dwellMinutes: 16 });
    for (const d of s.dosage) {
      expect(d.presenceMinutes).toBe(d.visits * 16);
      expect(d.valuedMinutes).toBe(d.visits * 15);
    }
    expect(() => scheduleVisits(places, { ...base, dwellMinutes: 9 })).toThrow(/10–16 minutes/);
    expect(() => scheduleVisits(places, { ...base, dwellMinutes: 20 })).toThrow(/10–16 minutes/);
  });

  it('drops the lowest-priority places when one round would not fit in the revisit interval', () => {
    const far = [...places, { id: 'd', x: 20_000, y: 0 }, { id: 'e', x: 40_000, y: 0 }];
    const s = scheduleVisits(far, base);
    expect(s.dropped).toEqual(['d', 'e']);
    expect(s.roundMinutes).toBeLessThanOrEqual(100);
    expect(s.warnings[0]).toMatch(/2 place\(s\) left out/);
  });

  it('warns when the revisit interval exceeds the 2-hour target', () => {
    expect(scheduleVisits(places, { ...base, revisitMinutes: 150 }).warnings[0]).toMatch(/at least once every 120 min/);
  });
});

describe('scheduleVisits invariants (property-based)', () => {
  it('never overlaps visits, never runs past the shift, and keeps every gap at the revisit interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: -4000, max: 4000 }), y: fc.integer({ min: -4000, max: 4000 }) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 10, max: 16 }),
        fc.integer({ min: 60, max: 120 }),
        fc.integer({ min: 4, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (pts, dwell, revisit, hours, seed) => {
          const places = pts.map((p, i) => ({ id: `p${i}`, ...p }));
          const s = scheduleVisits(places, { shiftMinutes: hours * 60, dwellMinutes: dwell, revisitMinutes: revisit, seed });
          expect(s.order.length + s.dropped.length).toBe(places.length);
          expect(s.order.length).toBeGreaterThanOrEqual(1);
          if (s.order.length > 1) expect(s.roundMinutes).toBeLessThanOrEqual(revisit + 1e-9);
          for (let i = 0; i < s.visits.length; i++) {
            const v = s.visits[i]!;
            expect(v.leaveMinute - v.arriveMinute).toBeCloseTo(dwell, 9);
            expect(v.leaveMinute).toBeLessThanOrEqual(hours * 60 + 1e-9);
            if (i > 0) expect(v.arriveMinute).toBeGreaterThanOrEqual(s.visits[i - 1]!.leaveMinute - 1e-9);
          }
          // dropped places are the lowest-priority ones
          for (const d of s.dropped) for (const k of s.order) expect(Number(d.slice(1))).toBeGreaterThan(Number(k.slice(1)));
          for (const d of s.dosage) if (d.maxGapMinutes !== null) expect(d.maxGapMinutes).toBeCloseTo(revisit, 6);
        },
      ),
      { numRuns: 300, seed: 20260929 },
    );
  });
});
