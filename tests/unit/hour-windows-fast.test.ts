import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hourOfDay, isoDate } from '../../src/analysis/hour-windows';

// hourOfDay and isoDate dropped the Date per call (cluster runs call them per candidate);
// they must still say exactly what Date says, before 1970 and at the ends of Date's range.
describe('hourOfDay / isoDate equal Date', () => {
  it('for any ms in Date range, including negative and hour/day boundaries', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(-1, 0, 1)).map(([h, d]) => h * 3_600_000 + d), fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true })), (ms) => {
        expect(hourOfDay(ms)).toBe(new Date(ms).getUTCHours());
        const day = Math.floor(ms / 86_400_000) * 86_400_000;
        if (Math.abs(day) <= 8.64e15) expect(isoDate(ms)).toBe(new Date(day).toISOString().slice(0, 10));
        // twice: the second answer comes from the cache
        if (Math.abs(day) <= 8.64e15) expect(isoDate(ms)).toBe(new Date(day).toISOString().slice(0, 10));
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('outside Date range or NaN: hours NaN, as Date', () => {
    for (const ms of [Number.NaN, 8.64e15 + 1, -8.64e15 - 1, Infinity]) expect(hourOfDay(ms)).toBeNaN();
    expect(() => isoDate(Number.NaN)).toThrow(RangeError);
  });
});
