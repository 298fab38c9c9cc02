import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOUR_WINDOWS,
  hourWindow,
  parseHourWindow,
  parseHourWindows,
  windowContainsHour,
  windowHourList,
  windowNightDate,
} from '../../src/analysis/hour-windows';

const at = (iso: string) => Date.parse(`${iso}Z`);

describe('hour windows', () => {
  it('assigns 01:30 on Tuesday to Monday night in 20–02', () => {
    const night = parseHourWindow('20-02');
    expect(night).toMatchObject({ id: '20-02', label: '20:00–02:00', crossesMidnight: true });
    // 2022-03-08 is a Tuesday.
    expect(windowNightDate(night, at('2022-03-08T01:30:00'))).toBe('2022-03-07');
    expect(windowNightDate(night, at('2022-03-07T20:00:00'))).toBe('2022-03-07');
    expect(windowNightDate(night, at('2022-03-07T23:59:59'))).toBe('2022-03-07');
    expect(windowNightDate(night, at('2022-03-08T02:00:00'))).toBeNull(); // end is exclusive
    expect(windowNightDate(night, at('2022-03-07T19:59:00'))).toBeNull();
    // Year and month boundaries.
    expect(windowNightDate(night, at('2022-01-01T00:10:00'))).toBe('2021-12-31');
    expect(windowNightDate(night, at('2024-03-01T01:00:00'))).toBe('2024-02-29');
  });

  it('keeps the date for windows inside one day', () => {
    const day = parseHourWindow('06:00-14:00');
    expect(day.crossesMidnight).toBe(false);
    expect(windowNightDate(day, at('2022-03-08T06:00:00'))).toBe('2022-03-08');
    expect(windowNightDate(day, at('2022-03-08T13:59:00'))).toBe('2022-03-08');
    expect(windowNightDate(day, at('2022-03-08T14:00:00'))).toBeNull();
  });

  it('every hour is in exactly one default window', () => {
    for (let h = 0; h < 24; h++) {
      expect(DEFAULT_HOUR_WINDOWS.filter((w) => windowContainsHour(w, h)).length, `hour ${h}`).toBe(1);
    }
    expect(windowHourList(parseHourWindow('20-02'))).toEqual([20, 21, 22, 23, 0, 1]);
  });

  it('parses lists, dashes and the whole day; refuses bad input with a usable message', () => {
    expect(parseHourWindows('06-14, 14–20; 20-2').map((w) => w.id)).toEqual(['06-14', '14-20', '20-02']);
    expect(parseHourWindow('00-24')).toMatchObject({ id: '00-24', crossesMidnight: false });
    expect(parseHourWindow('20-00')).toMatchObject({ id: '20-24', crossesMidnight: false });
    expect(() => parseHourWindow('8pm-2am')).toThrow(/for example 20-02/);
    expect(() => parseHourWindow('20-25')).toThrow(/0 to 24/);
    expect(() => parseHourWindow('24-02')).toThrow(/cannot start at 24/);
    expect(() => parseHourWindow('05-05')).toThrow(/no length/);
    expect(() => parseHourWindows('20-02, 20:00-02:00')).toThrow(/twice/);
    expect(() => parseHourWindows(' , ')).toThrow(/No hour windows/);
    expect(() => hourWindow(1.5, 3)).toThrow(/whole hour/);
  });
});
