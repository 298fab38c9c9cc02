import { describe, expect, it } from 'vitest';
import { squareGridSpec } from '../../src/analysis/binning';
import { defaultRotationSettings, planRotation } from '../../src/analysis/rotation';
import type { EvidenceRow } from '../../src/analysis/rotation-candidates';
import { isImportError } from '../../src/data/errors';
import { PLAN_JSON_LIMITS, parsePlanJson, serializePlan } from '../../src/export/plan-json';

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
