import { describe, expect, it } from 'vitest';
import { checkGuardrails } from '../../src/analysis/guardrails';

describe('checkGuardrails', () => {
  const minutes = new Map([
    ['A', 600],
    ['B', 300],
    ['C', 100],
  ]);
  const calls = new Map([
    ['A', 100],
    ['B', 300],
    ['C', 500],
    ['D', 100],
  ]);

  it('compares shares of patrol minutes with shares of resident calls and flags the caps', () => {
    const r = checkGuardrails(minutes, calls, [], false);
    const a = r.areas.find((x) => x.areaId === 'A')!;
    // A: 60 % of minutes, 10 % of calls → 6×, over both the 2× and the 40 % caps
    expect(a).toMatchObject({ patrolMinutes: 600, residentCalls: 100, overCap: true });
    expect(a.minutesShare).toBeCloseTo(0.6, 15);
    expect(a.residentShare).toBeCloseTo(0.1, 15);
    expect(a.ratio).toBeCloseTo(6, 12);
    expect(r.areas.find((x) => x.areaId === 'B')!.overCap).toBe(false);
    expect(r.areas.find((x) => x.areaId === 'D')).toMatchObject({ patrolMinutes: 0, ratio: 0, overCap: false });
    expect(r.warnings.filter((w) => w.startsWith('Area A'))).toHaveLength(2);
    expect(r.warnings.join('\n')).toMatch(/Area A gets 60\.0 % of patrol minutes but 10\.0 % of resident calls \(6\.0×, cap 2×\)/);
    expect(r.areas[0]!.areaId).toBe('A');
  });

  it('honours configured caps', () => {
    const r = checkGuardrails(minutes, calls, [], false, { maxShareRatio: 10, maxMinutesShare: 0.7 });
    expect(r.areas.some((x) => x.overCap)).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('warns about thin evidence and about officer-initiated calls in the evidence', () => {
    const places = [
      { placeId: 'p1', label: 'Cell g:1:1', calls: 4, giBin: 3, cluster: false },
      { placeId: 'p2', label: 'Cell g:2:2', calls: 40, giBin: 0, cluster: false },
      { placeId: 'p3', label: 'Cluster x', calls: 40, giBin: 0, cluster: true },
      { placeId: 'p4', label: 'Cell g:3:3', calls: 40, giBin: 2, cluster: false },
    ];
    const r = checkGuardrails(new Map(), new Map(), places, true);
    expect(r.thinEvidence).toEqual(['p1', 'p2']);
    expect(r.warnings[0]).toMatch(/Officer-initiated calls are counted/);
    expect(r.warnings.join('\n')).toMatch(/Cell g:1:1 rests on thin evidence: only 4 calls/);
    expect(r.warnings.join('\n')).toMatch(/Cell g:2:2 rests on thin evidence: not a significant hot spot/);
  });
});
