import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bhAdjust, bhReject } from '../../src/analysis/fdr';

const dir = path.join(__dirname, '../fixtures/fdr');
const names = readdirSync(path.join(dir, 'in')).map((f) => f.replace(/\.json$/, ''));
const load = (sub: string, name: string) => JSON.parse(readFileSync(path.join(dir, sub, `${name}.json`), 'utf8'));
const toNaN = (v: number | null) => (v === null ? Number.NaN : v);

describe('Benjamini–Hochberg against R p.adjust(p, "BH")', () => {
  it.each(names)('%s', (name) => {
    const input = load('in', name) as { p: (number | null)[]; n?: number };
    const expected = (load('out', name) as { q: (number | null)[] }).q;
    const q = bhAdjust(input.p.map(toNaN), input.n);
    expect(q.length).toBe(expected.length);
    expected.forEach((e, i) => {
      if (e === null) expect(Number.isNaN(q[i]!), `index ${i}`).toBe(true);
      else expect(Math.abs(q[i]! - e), `index ${i}`).toBeLessThanOrEqual(1e-14 * Math.max(1, e));
    });
  });

  it('matches the methods.md numbers for F1 and the NA rule', () => {
    const f1 = bhAdjust([0.041, 0.001, 0.205, 0.039, 0.008, 0.042, 0.06, 0.074]);
    for (const [i, e] of [0.0672, 0.008, 0.205, 0.0672, 0.032, 0.0672, 0.08, 0.084571429].entries()) expect(f1[i]).toBeCloseTo(e, 8);
    expect(bhReject([0.041, 0.001, 0.205, 0.039, 0.008, 0.042, 0.06, 0.074], 0.05)).toEqual([1, 4]);
    expect(Array.from(bhAdjust([0.01, Number.NaN, 0.02, 0.03, 0.03]))).toEqual([0.03, Number.NaN, 0.03, 0.03, 0.03]);
  });

  it('is monotone in p and gives tied p the same q', () => {
    const p = Array.from({ length: 300 }, (_, i) => ((i * 7919) % 301) / 301);
    const q = bhAdjust(p);
    const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!);
    for (let k = 1; k < order.length; k++) expect(q[order[k]!]!).toBeGreaterThanOrEqual(q[order[k - 1]!]!);
    expect(bhAdjust([0.2, 0.01, 0.2])[0]).toBe(bhAdjust([0.2, 0.01, 0.2])[2]);
  });

  it('rejects p outside [0, 1] and an m smaller than the p count', () => {
    expect(() => bhAdjust([0.1, 1.2])).toThrow(/between 0 and 1/);
    expect(() => bhAdjust([0.1, 0.2], 1)).toThrow(/smaller/);
  });
});
