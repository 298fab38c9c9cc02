import { describe, expect, it } from 'vitest';
import { auditSuppression, type SdcSystem } from '../../src/analysis/suppression-audit';
import { buildSystem } from '../../src/analysis/suppression-tables';

/** A 2 × 2 table with all margins; `hide` lists the ids to suppress. */
function table(counts: number[][]) {
  const rows = counts.map((_, i) => `r${i}`);
  const cols = counts[0]!.map((_, j) => `c${j}`);
  return buildSystem([{ name: 't', rowDim: 'row', colDim: 'col', rows, cols, counts }]);
}
const mask = (s: SdcSystem & { index: Map<string, number> }, ids: string[]) => s.cells.map((c) => ids.includes(c.id));

describe('auditSuppression', () => {
  it('recomputes a lone hidden cell exactly from its line', () => {
    const s = table([
      [3, 20],
      [15, 30],
    ]);
    const r = auditSuppression(s, mask(s, ['t[row=r0, col=c0]']), { k: 10, suppressedAreNonZero: true });
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([
      expect.objectContaining({ id: 't[row=r0, col=c0]', lo: 3, hi: 3, exact: true, message: expect.stringMatching(/recomputed exactly \(= 3\)/) }),
    ]);
  });

  it('recomputes a hidden margin through the totals line and only bounds the cells under it', () => {
    // All interior cells and row total r0 hidden: r0 = grand − r1 exactly; its cells stay open.
    const s = table([
      [4, 6],
      [15, 30],
    ]);
    const hide = ['t[row=r0, col=c0]', 't[row=r0, col=c1]', 't[row=r1, col=c0]', 't[row=r1, col=c1]', 'row=r0'];
    const r = auditSuppression(s, mask(s, hide), { k: 10, suppressedAreNonZero: false });
    const byId = new Map(r.bounds.map((b) => [b.id, b]));
    expect(byId.get('row=r0')).toMatchObject({ lo: 10, hi: 10, exact: true });
    // Interior cells are only bounded: c0 column is 19, so r0c0 ∈ [0, 10] (row r0 is 10).
    expect(byId.get('t[row=r0, col=c0]')).toMatchObject({ lo: 0, hi: 10, exact: false });
  });

  it('bounds intervals (Fréchet): hidden cells summing to less than k are narrower than k', () => {
    const s = table([
      [2, 3, 40],
      [30, 30, 30],
    ]);
    const hide = ['t[row=r0, col=c0]', 't[row=r0, col=c1]', 't[row=r1, col=c0]', 't[row=r1, col=c1]'];
    const r = auditSuppression(s, mask(s, hide), { k: 10, suppressedAreNonZero: true });
    const b = new Map(r.bounds.map((x) => [x.id, x]));
    // Row r0 hides 2 + 3 = 5, so each is in [1, 4]: a disclosed small count.
    expect(b.get('t[row=r0, col=c0]')).toMatchObject({ lo: 1, hi: 4 });
    expect(r.failures.map((f) => f.id)).toContain('t[row=r0, col=c0]');
    expect(r.failures[0]!.message).toMatch(/narrower than k = 10/);
  });

  it('counts what the reader knows: published zeros mean hidden cells are at least 1', () => {
    const s = table([
      [5, 6],
      [6, 5],
    ]);
    const hide = s.cells.filter((c) => !c.margin).map((c) => c.id);
    const withZeros = auditSuppression(s, mask(s, hide), { k: 10, suppressedAreNonZero: true });
    const without = auditSuppression(s, mask(s, hide), { k: 10, suppressedAreNonZero: false });
    expect(withZeros.bounds[0]).toMatchObject({ lo: 1, hi: 10 });
    expect(without.bounds[0]).toMatchObject({ lo: 0, hi: 11 });
    expect(withZeros.ok).toBe(false);
    expect(without.ok).toBe(true);
  });

  it('treats unpublished totals as unknown to the reader and does not report them', () => {
    const s = buildSystem([{ name: 't', rowDim: 'row', colDim: 'col', rows: ['a', 'b'], cols: ['x', 'y'], counts: [[3, 20], [15, 30]], publish: { rowTotals: false } }]);
    const r = auditSuppression(s, mask(s, ['t[row=a, col=x]']), { k: 10, suppressedAreNonZero: true });
    // Column x total (18) minus b·x (15) still gives it away: the column line is published.
    expect(r.failures.map((f) => [f.id, f.lo, f.hi])).toEqual([['t[row=a, col=x]', 3, 3]]);
    expect(r.suppressed).toBe(1);
  });

  it('passes a well-protected table and reports intervals of at least k', () => {
    const s = table([
      [3, 14, 20],
      [15, 40, 22],
    ]);
    const hide = ['t[row=r0, col=c0]', 't[row=r0, col=c1]', 't[row=r1, col=c0]', 't[row=r1, col=c1]'];
    const r = auditSuppression(s, mask(s, hide), { k: 10, suppressedAreNonZero: true });
    expect(r.ok).toBe(true);
    for (const b of r.bounds) expect(b.hi - b.lo).toBeGreaterThanOrEqual(10);
  });
});
