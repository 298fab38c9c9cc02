import { describe, expect, it } from 'vitest';
import { nopdPriorityTier, suggestionsToTierMap, suggestTiers, type TypeSummary } from '../../src/analysis/tier-suggest';
import { assignTier } from '../../src/analysis/tiers';
import { parseTierMap } from '../../src/data/tier-map';

const t = (code: string, text: string, priorityCounts: Record<string, number> = { '1A': 1 }): TypeSummary => ({ code, text, priorityCounts });

describe('suggestTiers', () => {
  it('uses the brief\u2019s keywords for each level', () => {
    const cases: [string, number][] = [
      ['AGGRAVATED BATTERY BY SHOOTING', 3],
      ['ARMED ROBBERY WITH GUN', 3],
      ['ASSAULT IN PROGRESS', 3],
      ['SIMPLE ROBBERY', 3],
      ['SUSPICIOUS PERSON', 2],
      ['TRESPASSING', 2],
      ['DISTURBANCE (OTHER)', 2],
      ['RESIDENCE BURGLARY', 2],
      ['NOISE COMPLAINT', 1],
      ['LOITERING', 1],
      ['ABANDONED VEHICLE', 1],
      ['PARKING VIOLATION', 1],
      ['WELFARE CHECK', 1],
      ['HOMELESS PERSON', 1],
      ['COMPLAINT OTHER', 1],
      ['INFORMATION', 1],
    ];
    const out = suggestTiers(cases.map(([text], i) => t(`C${i}`, text)));
    expect(out.map((s) => [s.text, s.tier])).toEqual(cases);
    expect(out.every((s) => s.basis === 'keyword')).toBe(true);
  });

  it('marks referral categories only at Level 1, and the list is configurable', () => {
    const types = [t('N', 'NOISE COMPLAINT'), t('L', 'LOITERING'), t('W', 'WELFARE CHECK'), t('P', 'PARKING VIOLATION')];
    const byDefault = suggestTiers(types);
    expect(byDefault.map((s) => s.referral)).toEqual([true, true, true, false]);
    expect(byDefault[2]!.category).toBe('mental-health');
    const onlyNoise = suggestTiers(types, { referralCategories: ['noise'] });
    expect(onlyNoise.map((s) => s.referral)).toEqual([true, false, false, false]);
  });

  it('falls back to the dominant priority as a hint, and says so', () => {
    const [medical, gathering, nothing, unknown] = suggestTiers([
      t('24', 'MEDICAL', { '2D': 95, '1A': 5 }),
      t('G', 'PUBLIC GATHERING', { '0A': 3 }),
      t('X', 'ZZZ', {}),
      t('Q', 'QQQ', { '1E': 4 }),
    ]);
    expect(medical).toMatchObject({ tier: 3, basis: 'priority' });
    expect(medical!.reason).toBe('no keyword; most calls priority 2D (95 of 100) → Level 3');
    expect(gathering!.tier).toBe(1);
    expect(nothing).toMatchObject({ tier: 2, basis: 'none' });
    expect(unknown!.tier).toBe(2);
  });

  it('flags a keyword that disagrees with the priority for review', () => {
    const [s] = suggestTiers([t('65', 'SIMPLE ROBBERY', { '1D': 100, '2D': 12 })]);
    expect(s!.tier).toBe(3);
    expect(s!.reason).toMatch(/contains "robbery" → Level 3; most calls priority 1D \(100 of 112\); priority suggests Level 2, check/);
  });

  it('reads NOPD priority levels (3 officer needs assistance … 0 no police needed)', () => {
    expect(['3C', '2', '2A', '1J', '0', 'Z'].map(nopdPriorityTier)).toEqual([3, 3, 3, 2, 1, null]);
  });

  it('turns suggestions into a valid tier map that reproduces them', () => {
    const types = [t('21N', 'NOISE COMPLAINT'), t('34S', 'AGGRAVATED BATTERY BY SHOOTING'), t('107', 'SUSPICIOUS PERSON')];
    const suggestions = suggestTiers(types);
    const map = parseTierMap(suggestionsToTierMap(suggestions));
    for (const s of suggestions) expect(assignTier(map, { typeCode: s.code, typeText: s.text, priority: null })).toBe(s.tier);
    expect(assignTier(map, { typeCode: 'NEW', typeText: 'SOMETHING', priority: null })).toBeNull();
  });
});
