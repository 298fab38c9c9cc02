import { describe, expect, it } from 'vitest';
import { parsePreset } from '../../src/data/presets';
import nopd from '../../src/data/presets/nopd.json';
import { parseTierMap } from '../../src/data/tier-map';
import {
  loadPersisted,
  MAPPINGS,
  NARRATIVE,
  type PersistedKind,
  PREFIX,
  SETTINGS,
  savedViewsKind,
  savePersisted,
  type StorageLike,
  TIER_MAP,
} from '../../src/state/persist';

/** A Storage with the browser's behaviour that matters here: string values and a byte quota. */
class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  constructor(private readonly quotaChars = 5_000_000) {}
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    const used = [...this.map].reduce((a, [key, val]) => a + (key === k ? 0 : key.length + val.length), 0);
    if (used + k.length + v.length > this.quotaChars) {
      throw Object.assign(new Error("Failed to execute 'setItem' on 'Storage': exceeded the quota."), { name: 'QuotaExceededError', code: 22 });
    }
    this.map.set(k, String(v));
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const put = (s: MemoryStorage, key: string, text: string) => s.map.set(PREFIX + key, text);

describe('loadPersisted / savePersisted', () => {
  it('round-trips each kind of valid value', () => {
    const s = new MemoryStorage();
    const settings = { tileStyleUrl: 'https://tiles.example.org/style.json', k: 11, suppressZeros: true };
    expect(savePersisted(SETTINGS, settings, s)).toEqual({ ok: true });
    expect(loadPersisted(SETTINGS, s)).toEqual({ value: settings, source: 'stored' });

    const mappings = [{ name: 'NOPD 2022', mapping: parsePreset(nopd) }];
    expect(savePersisted(MAPPINGS, mappings, s)).toEqual({ ok: true });
    expect(loadPersisted(MAPPINGS, s).value).toEqual(mappings);

    const tiers = parseTierMap({ version: 1, default: 3, rules: [{ typeCode: '30S', tier: 1 }, { typePattern: '^ACC', tier: 2 }] });
    expect(savePersisted(TIER_MAP, tiers, s)).toEqual({ ok: true });
    expect(loadPersisted(TIER_MAP, s).value).toEqual(tiers);

    const narrative = { title: 'Q3 <b>briefing</b>', paragraphs: ['Calls fell 4%.', 'Ünïcode ✓'] };
    expect(savePersisted(NARRATIVE, narrative, s)).toEqual({ ok: true });
    expect(loadPersisted(NARRATIVE, s).value).toEqual(narrative);

    const views = savedViewsKind(['from', 'to', 'types', 'tiers']);
    const saved = [{ name: 'Nights', params: { from: '2022-01-01', types: ['30S', '34S'], tiers: 1 } }];
    expect(savePersisted(views, saved, s)).toEqual({ ok: true });
    expect(loadPersisted(views, s).value).toEqual(saved);
  });

  it('uses defaults silently when nothing is stored or storage is unavailable', () => {
    expect(loadPersisted(SETTINGS, new MemoryStorage())).toEqual({ value: SETTINGS.defaults(), source: 'default' });
    expect(loadPersisted(SETTINGS, null)).toEqual({ value: SETTINGS.defaults(), source: 'default' });
    const blocked: StorageLike = {
      getItem: () => {
        throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
      },
      setItem: () => {
        throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
      },
      removeItem: () => {},
    };
    expect(loadPersisted(SETTINGS, blocked)).toMatchObject({ source: 'default', problem: expect.stringMatching(/storage is blocked/) });
    expect(savePersisted(SETTINGS, SETTINGS.defaults(), blocked)).toEqual({ ok: false, problem: expect.stringMatching(/^Could not save the settings: browser storage is blocked/) });
  });

  it('refuses hostile, corrupt, mistyped, oversized or unknown values with a message, drops them and uses defaults', () => {
    const cases: [string, string, RegExp][] = [
      ['settings', '{"v":2,"data":{"__proto__":{"isAdmin":true},"tileStyleUrl":null,"k":10,"suppressZeros":false}}', /key "__proto__"/],
      ['settings', '{"v":2,"data":{"constructor":{"prototype":{"polluted":1}},"tileStyleUrl":null,"k":10,"suppressZeros":false}}', /key "(constructor|prototype)"/],
      ['settings', '{"v":2,"data":{"tileStyleUrl":null,"k":"10","suppressZeros":false}}', /threshold k must be a whole number/],
      ['settings', '{"v":2,"data":{"tileStyleUrl":null,"k":2,"suppressZeros":false}}', /from 5 to 100/],
      ['settings', '{"v":2,"data":{"tileStyleUrl":"javascript:alert(1)","k":10,"suppressZeros":false}}', /not an https address/],
      ['settings', '{"v":2,"data":{"tileStyleUrl":null,"k":10,"suppressZeros":false,"admin":true}}', /unknown field "admin"/],
      ['settings', '{"v":2,"data":{"tileStyleUrl":null,"k":10,"suppressZeros":false}', /not valid JSON/],
      ['settings', '\u0000\u0001garbage', /not valid JSON/],
      ['settings', '[1,2,3]', /not in the format Callsight writes/],
      ['settings', '{"v":2,"data":{},"extra":1}', /not in the format/],
      ['settings', '{"v":"2","data":{}}', /not in the format/],
      ['narrative', `{"v":1,"data":{"title":"x","paragraphs":["${'a'.repeat(1_100_000)}"]}}`, /larger than 1 MB/],
      ['narrative', '{"v":1,"data":{"title":"x","paragraphs":[{"toString":"evil"}]}}', /Paragraph 1 must be text/],
      ['narrative', '{"v":1,"data":{"title":"x","paragraphs":"not a list"}}', /at most 20 paragraphs/],
      ['mappings', '{"v":1,"data":[{"name":"x","mapping":{"columns":{"received_at":"t","evil":"x"}}}]}', /unknown field `evil`/],
      ['tier-map', '{"v":1,"data":{"version":1,"rules":[{"typePattern":"(?<=a)b","tier":1}]}}', /lookaround/],
      ['views', '{"v":1,"data":[{"name":"n","params":{"sql":"DROP TABLE calls"}}]}', /unknown field "sql"/],
      ['views', '{"v":1,"data":[{"name":"n","params":{"types":[1,2]}}]}', /must be text of at most 200/],
      ['views', '{"v":0,"data":[]}', /old format \(0\) that cannot be upgraded/],
    ];
    const kinds: Record<string, PersistedKind<unknown>> = {
      settings: SETTINGS as PersistedKind<unknown>,
      narrative: NARRATIVE as PersistedKind<unknown>,
      mappings: MAPPINGS as PersistedKind<unknown>,
      'tier-map': TIER_MAP as PersistedKind<unknown>,
      views: savedViewsKind(['from', 'types']) as PersistedKind<unknown>,
    };
    for (const [key, text, pattern] of cases) {
      const s = new MemoryStorage();
      put(s, key, text);
      const kind = kinds[key]!;
      const r = loadPersisted(kind, s);
      expect(r.value, text.slice(0, 80)).toEqual(kind.defaults());
      expect(r.source).toBe('default');
      expect(r.problem, text.slice(0, 80)).toMatch(pattern);
      expect(r.problem).toMatch(/^Stored .* could not be used: .* Defaults are used instead\.$/s);
      expect(s.map.has(PREFIX + key), `${key} dropped`).toBe(false);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves data from a newer version in place (another tab may be newer) and uses defaults', () => {
    const s = new MemoryStorage();
    put(s, 'settings', '{"v":3,"data":{"future":true}}');
    expect(loadPersisted(SETTINGS, s)).toMatchObject({ source: 'default', problem: expect.stringMatching(/newer version of Callsight \(format 3\)/) });
    expect(s.map.has(`${PREFIX}settings`)).toBe(true);
  });

  it('runs the migration hook for older formats and validates its result', () => {
    const s = new MemoryStorage();
    put(s, 'settings', '{"v":1,"data":{"tileStyleUrl":"https://tiles.example.org/s.json"}}');
    expect(loadPersisted(SETTINGS, s)).toEqual({ value: { tileStyleUrl: 'https://tiles.example.org/s.json', k: 10, suppressZeros: false }, source: 'migrated' });
    put(s, 'settings', '{"v":1,"data":{"tileStyleUrl":"ftp://x"}}');
    expect(loadPersisted(SETTINGS, s).problem).toMatch(/not an https address/);
    put(s, 'settings', '{"v":1,"data":"old"}');
    expect(loadPersisted(SETTINGS, s).problem).toMatch(/upgrading it from format 1 failed \(unknown old format\)/);
  });

  it('reports a full storage instead of throwing, and never writes what it would refuse to read', () => {
    const s = new MemoryStorage(2_000);
    const big = { title: 't', paragraphs: ['x'.repeat(5_000)] };
    expect(savePersisted(NARRATIVE, big, s)).toEqual({ ok: false, problem: expect.stringMatching(/^Could not save the briefing text: browser storage is full/) });
    expect(s.map.size).toBe(0);
    const views = savedViewsKind(['types']);
    const huge = Array.from({ length: 10 }, (_, i) => ({ name: `v${i}`, params: { types: Array.from({ length: 1000 }, () => 'é'.repeat(60)) } }));
    expect(savePersisted(views, huge, new MemoryStorage())).toEqual({ ok: false, problem: expect.stringMatching(/larger than 1 MB/) });
    const invalid = { tileStyleUrl: null, k: 3, suppressZeros: false };
    expect(savePersisted(SETTINGS, invalid, new MemoryStorage())).toEqual({ ok: false, problem: expect.stringMatching(/from 5 to 100/) });
  });
});
