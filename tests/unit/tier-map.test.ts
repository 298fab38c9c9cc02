import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TierMap } from '../../src/analysis/tiers';
import { isImportError } from '../../src/data/errors';
import preset from '../../src/data/presets/tiers-nopd.json';
import { toRows } from '../../src/data/rows';
import { parseTierMap, serializeTierMap, TIER_MAP_LIMITS } from '../../src/data/tier-map';
import { newOrleansDir, skipReason } from '../engine';
import { useNolaCalls } from './tiers-fixtures';

function problem(input: unknown): string {
  try {
    parseTierMap(input, 'my-tiers.json');
  } catch (e) {
    expect(isImportError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected parseTierMap to refuse the input');
}

describe('parseTierMap', () => {
  it('accepts the NOPD preset and keeps its rules in order', () => {
    const map = parseTierMap(preset, 'tiers-nopd.json');
    expect(map.version).toBe(1);
    expect(map.rules.length).toBeGreaterThan(190);
    expect(map.rules.find((r) => r.typeCode === '34S')?.tier).toBe(3);
    expect(map.rules.find((r) => r.typeCode === '21N')).toMatchObject({ tier: 1, referral: true, category: 'noise' });
  });

  it('refuses prototype keys even when JSON.parse made them own properties', () => {
    expect(problem('{"version":1,"rules":[],"__proto__":{"polluted":true}}')).toMatch(/my-tiers\.json: .*"__proto__".*not allowed/);
    expect(problem({ version: 1, rules: [{ typeCode: 'X', tier: 1, constructor: 'x' }] })).toMatch(/rule 1 .*"constructor"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says which rule is wrong and what to do', () => {
    expect(problem({ version: 1, rules: [{ typeCode: 'A', tier: 1 }, { typeCode: 'B', tier: 4 }] })).toMatch(
      /rule 2 has tier 4; use 1, 2 or 3\. Fix the tier map/,
    );
    expect(problem({ version: 2, rules: [] })).toMatch(/only version 1/);
    expect(problem({ version: 1 })).toMatch(/"rules" as a list/);
    expect(problem([1, 2])).toMatch(/JSON object/);
    expect(problem('{not json')).toMatch(/not valid JSON/);
    expect(problem({ version: 1, rules: [{ typeCode: 7, tier: 1 }] })).toMatch(/typeCode 7; it must be non-empty text/);
    expect(problem({ version: 1, rules: [{ typeCode: '  ', tier: 1 }] })).toMatch(/non-empty/);
    expect(problem({ version: 1, rules: [{ tier: 2 }] })).toMatch(/no condition/);
    expect(problem({ version: 1, rules: [{ typeCode: 'A', tier: 2, referral: true }] })).toMatch(/only Level 1/);
    expect(problem({ version: 1, rules: [{ typeCode: 'A', tier: 1, referral: 'yes' }] })).toMatch(/true or false/);
    expect(problem({ version: 1, rules: [{ typeCode: 'A', tier: 1, colour: 'red' }] })).toMatch(/unknown key "colour"/);
    expect(problem({ version: 1, rules: [], default: 0 })).toMatch(/"default" 0/);
  });

  it('refuses invalid or engine-incompatible patterns', () => {
    expect(problem({ version: 1, rules: [{ typePattern: 'shoot(', tier: 3 }] })).toMatch(/not a valid regular expression/);
    expect(problem({ version: 1, rules: [{ typePattern: '(?=gun)', tier: 3 }] })).toMatch(/lookaround/);
    expect(problem({ version: 1, rules: [{ typePattern: '(a)\\1', tier: 3 }] })).toMatch(/backreference/);
  });

  it('bounds sizes', () => {
    const long = 'x'.repeat(TIER_MAP_LIMITS.stringLength + 1);
    expect(problem({ version: 1, rules: [{ typeCode: long, tier: 1 }] })).toMatch(/201 characters/);
    const many = Array.from({ length: TIER_MAP_LIMITS.rules + 1 }, (_, i) => ({ typeCode: `T${i}`, tier: 1 }));
    expect(problem({ version: 1, rules: many })).toMatch(/at most 2000/);
  });

  it('round-trips through serializeTierMap (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
    const rule = fc.record(
      {
        typeCode: text,
        priority: fc.constantFrom('0', '1', '2A', '3C'),
        tier: fc.constantFrom(1 as const, 2 as const, 3 as const),
        category: fc.constantFrom('noise', 'violence', 'traffic'),
      },
      { requiredKeys: ['typeCode', 'tier'] },
    );
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 20 }), fc.constantFrom(1 as const, 2 as const, 3 as const, null), (rules, d) => {
        const map: TierMap = { version: 1, rules, default: d };
        const back = parseTierMap(serializeTierMap(map));
        expect(back).toEqual(map);
        expect(serializeTierMap(back)).toBe(serializeTierMap(map));
      }),
    );
  });
});

describe('NOPD preset on the real New Orleans file', () => {
  const dir = newOrleansDir();
  const db = useNolaCalls(dir);

  it.skipIf(!dir)('has an explicit rule for every final and initial type code in the file', async () => {
    skipReason('New Orleans data', dir);
    const map = parseTierMap(preset);
    const codes = new Set(map.rules.flatMap((r) => (r.typeCode ? [r.typeCode] : [])));
    const rows = toRows(
      await db.query('SELECT DISTINCT trim(c) AS c FROM (SELECT type_code AS c FROM calls UNION ALL SELECT initial_type_code FROM calls) WHERE c IS NOT NULL'),
    );
    expect(rows.length).toBeGreaterThan(180);
    expect(rows.map((r) => r.c as string).filter((c) => !codes.has(c))).toEqual([]);
  });
});
