/** Opt-in (CALLSIGHT_BENCH=1): hotspots + clusters on 1M calls, queries to results. Not part of npm test. */
import { describe, expect, it } from 'vitest';
import { benchAnalysis1M } from '../../scripts/bench/analysis-1m';
import { demoReady } from './demo-city';

const enabled = process.env.CALLSIGHT_BENCH === '1' && demoReady;

describe.skipIf(!enabled)('analysis pipeline on 1M calls', () => {
  it('hotspots and clusters run from DuckDB to results', async () => {
    const r = await benchAnalysis1M(20);
    console.log(JSON.stringify(r));
    expect(r.calls).toBe(50_149 * 20);
    expect(r.hotspotsSquareMs.cells).toBeGreaterThan(1000);
    expect(r.clustersMs.clusters).toBeGreaterThan(0);
  }, 900_000);
});
