import { describe, expect, it } from 'vitest';
import { squareGridSpec } from '../../src/analysis/binning';
import { defaultRotationSettings, planRotation } from '../../src/analysis/rotation';
import type { EvidenceRow } from '../../src/analysis/rotation-candidates';
import { isImportError } from '../../src/data/errors';
import { planVisitsCsv } from '../../src/export/plan-csv';
import { planPlacesGeoJson } from '../../src/export/plan-geojson';
import { PLAN_JSON_LIMITS, parsePlanJson, serializePlan } from '../../src/export/plan-json';
import { shiftSheets } from '../../src/export/shift-sheet';

const grid = squareGridSpec(-89.6, 35.45, 150);
const evidence: EvidenceRow[] = [];
for (let c = 0; c < 15; c++) for (let r = 0; r < 15; r++) evidence.push({ col: c, row: r, hour: 3, typeCode: 'X', typeText: 'X', areaId: c < 7 ? 'A1' : 'A2', district: '1', calls: 1, weighted: 0.8, recent: 1, referral: 0, selfInitiated: 0 });
evidence.push({ col: 4, row: 4, hour: 3, typeCode: 'D', typeText: 'DISTURBANCE', areaId: 'A1', district: '1', calls: 30, weighted: 20, recent: 9, referral: 0, selfInitiated: 0 });
const plan = planRotation({ evidence, evidenceStart: '2026-09-01 00:00:00', evidenceEnd: '2026-09-29 00:00:00', grid, settings: defaultRotationSettings('2026-09-29', { windowDays: 2 }) });
const text = serializePlan(plan);

function refusal(input: string): string {
  try {
    parsePlanJson(input, 'week-40.json');
  } catch (e) {
    expect(isImportError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected the plan to be refused');
}

describe('plan JSON', () => {
  it('round-trips a real plan', () => {
    expect(plan.shifts.some((s) => s.units.length > 0)).toBe(true);
    const back = parsePlanJson(text);
    expect(serializePlan(back)).toBe(text);
    expect(back.places[0]!.id).toBe(plan.places[0]!.id);
  });

  it('refuses prototype keys anywhere', () => {
    const compact = JSON.stringify(JSON.parse(text));
    const poisoned = compact.replace('"version":1', '"__proto__":{"admin":true},"version":1');
    expect(refusal(poisoned)).toMatch(/week-40\.json: .*key "__proto__" is not allowed/);
    expect(refusal(compact.replace('"calls":', '"constructor":{},"calls":'))).toMatch(/"constructor" is not allowed/);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses unknown fields, wrong types and missing parts, saying where', () => {
    const obj = JSON.parse(text);
    obj.places[0].onclick = 'alert(1)';
    expect(refusal(JSON.stringify(obj))).toMatch(/\$\.places\[0\] has an unexpected field "onclick"/);
    const wrong = JSON.parse(text);
    wrong.settings.windowDays = '7';
    expect(refusal(JSON.stringify(wrong))).toMatch(/\$\.settings\.windowDays should be a whole number/);
    const missing = JSON.parse(text);
    delete missing.guardrails;
    expect(refusal(JSON.stringify(missing))).toMatch(/\$\.guardrails is missing/);
    const action = JSON.parse(text);
    action.places[0].action = 'raid';
    expect(refusal(JSON.stringify(action))).toMatch(/action should be one of patrol, patrol-and-refer, refer/);
    expect(refusal('[1,2')).toMatch(/not a valid plan file/);
    expect(refusal('{"version":2}')).toMatch(/version should be one of 1/);
  });

  it('refuses oversized files, lists and strings', () => {
    expect(refusal(' '.repeat(PLAN_JSON_LIMITS.bytes + 1))).toMatch(/larger than 20 MB/);
    const long = JSON.parse(text);
    long.notes = Array.from({ length: PLAN_JSON_LIMITS.arrayItems + 1 }, () => 'x');
    expect(refusal(JSON.stringify(long))).toMatch(/\$\.notes has more than 20000 entries/);
    const big = JSON.parse(text);
    big.notes = ['x'.repeat(PLAN_JSON_LIMITS.stringLength + 1)];
    expect(refusal(JSON.stringify(big))).toMatch(/longer than 2000 characters/);
  });
});

describe('plan CSV, GeoJSON and shift sheets', () => {
  const hostile: EvidenceRow[] = evidence.map((e) => (e.col === 4 && e.row === 4 ? { ...e, areaId: '=HYPERLINK("http://x","y")' } : e));
  const p = planRotation({ evidence: hostile, evidenceStart: '', evidenceEnd: '', grid, settings: defaultRotationSettings('2026-09-29', { windowDays: 1 }) });

  it('writes one CSV row per visit with clock times and defuses formula-like text from the data', () => {
    const csv = planVisitsCsv(p);
    const lines = csv.trim().split('\r\n');
    const visits = p.shifts.flatMap((s) => s.units.flatMap((u) => u.schedule.visits));
    expect(visits.length).toBeGreaterThan(0);
    expect(lines).toHaveLength(visits.length + 1);
    expect(csv.startsWith('\uFEFFdate,shift,unit,round,arrive,leave,place_id,place,address,area,lon,lat,action,seed\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    // the 23–07 shift's visits after midnight carry the next date
    expect(lines.some((l) => l.startsWith('2026-09-29,23:00–07:00') && l.includes(',2026-09-30 0'))).toBe(true);
  });

  it('gives one GeoJSON point per place with its planned minutes', () => {
    const fc = planPlacesGeoJson(p);
    expect(fc.features).toHaveLength(p.places.length);
    const total = fc.features.reduce((a, f) => a + Number(f.properties!.plannedMinutes), 0);
    const scheduled = p.shifts.flatMap((s) => s.units.flatMap((u) => u.schedule.dosage)).reduce((a, d) => a + d.presenceMinutes, 0);
    expect(total).toBe(scheduled);
    expect(fc.features[0]!.geometry.coordinates[0]).toBeCloseTo(p.places[0]!.center[0], 6);
  });

  it('builds a sheet per unit and shift, stops in driving order', () => {
    const sheets = shiftSheets(p);
    expect(sheets).toHaveLength(p.shifts.reduce((a, s) => a + s.units.length, 0));
    const night = sheets.find((s) => s.shift === '23:00–07:00')!;
    expect(night.stops[0]!.time).toBe('23:15');
    // one place, rounds every 100 min from 23:15: 23:15, 00:55, 02:35, …
    expect(night.stops.slice(0, 3).map((s) => s.time)).toEqual(['23:15', '00:55', '02:35']);
    expect(night.footer).toMatch(/seed \d+/);
  });
});
