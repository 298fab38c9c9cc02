import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SENSITIVE_CATEGORIES, parseSensitiveCategories, sensitiveMatcher, words } from '../../src/export/sensitive-types';
import { newOrleansDir, skipReason } from '../engine';

const match = sensitiveMatcher();
const ids = (text: string, extra: { code?: string; initialText?: string } = {}) => match({ text, ...extra });

describe('sensitiveMatcher', () => {
  it('matches each default category by whole words and prefixes', () => {
    expect(ids('SEXUAL BATTERY')).toEqual(['sexual']);
    expect(ids('Aggravated Rape')).toEqual(['sexual']);
    expect(ids('OBSCENITY, EXPOSING')).toEqual(['sexual']);
    expect(ids('SIMPLE BATTERY DOMESTIC')).toEqual(['domestic']);
    expect(ids('violation of protection order')).toEqual(['domestic']);
    expect(ids('Cruelty to juveniles')).toEqual(['child-abuse', 'juvenile']);
    expect(ids('MISSING JUVENILE')).toEqual(['juvenile', 'missing-person']);
    expect(ids('EMOTIONALLY DISTURBED PERSON')).toEqual(['mental-health']);
    expect(ids('SUICIDE THREAT (FD NOT ENR)')).toEqual(['mental-health']);
    expect(ids('Welfare check')).toEqual(['mental-health']);
    // Accents are folded, so the DOMESTIC* prefix also catches Spanish/Portuguese "doméstica".
    expect(ids('Violencia doméstica')).toEqual(['domestic']);
    expect(ids('VIOLENCIA FAMILIAR')).toEqual([]); // not in the default list: add it in settings
  });

  it('does not match inside other words', () => {
    for (const t of ['SUSSEX STREET PARKING', 'GRAPE THEFT', 'MISSILE INTO OC DWELLING/VEHICLE', 'MINOR ACCIDENT', 'SUSPICIOUS PERSON', 'HOMICIDE BY SHOOTING', 'ESSEX AVE NOISE', 'TRAPEZE']) {
      expect(ids(t), t).toEqual([]);
    }
  });

  it('checks the initial type and agency codes too', () => {
    expect(ids('DISTURBANCE (OTHER)', { initialText: 'DOMESTIC DISTURBANCE' })).toEqual(['domestic']);
    const custom = sensitiveMatcher([{ id: 'dv', label: 'DV', terms: [], codes: ['103d', ' 35D '] }]);
    expect(custom({ code: '103D', text: 'DISTURBANCE' })).toEqual(['dv']);
    expect(custom({ code: '35d' })).toEqual(['dv']);
    expect(custom({ code: '103', text: 'DISTURBANCE' })).toEqual([]);
    expect(words('Ünïcode—dash/slash')).toEqual(['UNICODE', 'DASH', 'SLASH']);
  });

  const nola = newOrleansDir();
  it.skipIf(!nola)(`flags exactly the sensitive NOPD call types in the RTCC subset ${skipReason('New Orleans data pack', nola) ?? ''}`, () => {
    const rows = csvParse(readFileSync(path.join(nola!, 'nopd_cfs_2022_rtcc_subset.csv'), 'utf8'));
    const types = [...new Set(rows.map((r) => r.TypeText!))].sort();
    const flagged = types.filter((t) => ids(t).length > 0);
    expect(flagged).toEqual([
      'AGGRAVATED ASSAULT DOMESTIC',
      'AGGRAVATED BATTERY DOMESTIC',
      'AGGRAVATED BURGLARY DOMESTIC',
      'AGGRAVATED RAPE',
      'CRIMINAL DAMAGE DOMESTIC',
      'DOMESTIC DISPUTE',
      'DOMESTIC DISTURBANCE',
      'DOMESTIC VIOLENCE',
      'EMOTIONALLY DISTURBED PERSON',
      'EXTORTION (THREATS) DOMESTIC',
      'MENTAL PATIENT',
      'MENTAL PERSON: NON VIOLENT',
      'MISDEMEANOR SEXUAL BATTERY',
      'MISSING ADULT',
      'MISSING JUVENILE',
      'OBSCENITY, EXPOSING',
      'RECLASS: SUICIDE',
      'REFERRAL TO MHSD',
      'SEX OFFENSE: GENERAL/MISC',
      'SEXUAL ASSAULT',
      'SEXUAL ASSAULT KIT PROCESSED BY HOSPITAL',
      'SEXUAL BATTERY',
      'SIMPLE ARSON DOMESTIC',
      'SIMPLE BATTERY DOMESTIC',
      'SIMPLE BURGLARY DOMESTIC',
      'SIMPLE RAPE',
      'SUICIDE',
      'SUICIDE THREAT',
      'SUICIDE THREAT (FD NOT ENR)',
      'VIOLATION OF PROTECTION ORDER',
    ]);
    const calls = rows.filter((r) => ids(r.TypeText!, { initialText: r.InitialTypeText! }).length > 0).length;
    console.info(`sensitive NOPD calls: ${calls} of ${rows.length}`);
    expect(calls).toBeGreaterThan(200);
  });
});

describe('parseSensitiveCategories', () => {
  it('round-trips the defaults and refuses hostile or malformed lists with a reason', () => {
    expect(parseSensitiveCategories(JSON.parse(JSON.stringify(DEFAULT_SENSITIVE_CATEGORIES)))).toEqual(DEFAULT_SENSITIVE_CATEGORIES);
    const bad: [unknown, RegExp][] = [
      [{}, /must be a JSON array/],
      [[null], /entry 1 is not an object/],
      [JSON.parse('[{"__proto__": {"x": 1}, "id": "a", "label": "A", "terms": ["X"]}]'), /unknown key "__proto__"/],
      [[{ id: 'a', label: 'A', terms: ['X'], pattern: '(a+)+$' }], /unknown key "pattern"/],
      [[{ id: 'a', label: 'A', terms: 'X' }], /terms must be a list/],
      [[{ id: 'a', label: 'A', terms: ['x'.repeat(81)] }], /invalid terms value/],
      [[{ id: 'a', label: 'A', terms: ['ok\u0000'] }], /no control characters/],
      [[{ id: 'a', label: 'A' }], /has no terms and no codes/],
      [
        [
          { id: 'a', label: 'A', terms: ['X'] },
          { id: 'a', label: 'B', terms: ['Y'] },
        ],
        /"a" is used twice/,
      ],
      [Array.from({ length: 51 }, (_, i) => ({ id: `c${i}`, label: 'L', terms: ['X'] })), /at most 50/],
    ];
    for (const [json, pattern] of bad) expect(() => parseSensitiveCategories(json)).toThrow(pattern);
  });
});
