/**
 * The worker protocol over a real MessageChannel (node:worker_threads, the same structured
 * clone and transfer semantics as the browser's): results equal a direct call, progress is
 * reported in order, input buffers are transferred, cancel stops a run at a phase boundary.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { squareGridSpec } from '../../src/analysis/binning';
import { type CellSource, hotspotsPipeline } from '../../src/analysis/hotspots';
import { resolveParams } from '../../src/analysis/params';
import type { AnalysisClient } from '../../src/workers/analysis-client';
import { type InProcessAnalysis, inProcessAnalysis } from './analysis-channel';

function squareSource(seed: number): Extract<CellSource, { grid: 'square' }> {
  const col: number[] = [];
  const row: number[] = [];
  const counts: number[] = [];
  let s = seed;
  for (let r = 0; r < 30; r++) {
    for (let c = 0; c < 30; c++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const hot = Math.hypot(c - 8, r - 20) < 3 ? 25 : 0;
      const n = (s % 5) + hot;
      if (n === 0) continue;
      col.push(c);
      row.push(r);
      counts.push(n);
    }
  }
  return { grid: 'square', spec: squareGridSpec(-89.6, 35.45, 250), col: Int32Array.from(col), row: Int32Array.from(row), counts: Float64Array.from(counts) };
}

describe('analysis worker protocol', () => {
  let analysis: InProcessAnalysis;
  let client: AnalysisClient;
  const open = () => {
    analysis = inProcessAnalysis();
    client = analysis.client;
  };
  afterEach(() => {
    analysis?.close();
  });

  it('returns what the pipeline returns in-process, with progress in order, transferring the inputs', async () => {
    open();
    const params = resolveParams().hotspots;
    const direct = await hotspotsPipeline({ source: squareSource(7), params: { ...params, studyArea: 'bbox' } });
    const input = { source: squareSource(7), params: { ...params, studyArea: 'bbox' as const } };
    const counts = input.source.counts;
    const phases: [string, number][] = [];
    const result = await client.run('hotspots', input, { onProgress: (phase, fraction) => phases.push([phase, fraction]) });
    expect(result).toEqual(direct);
    expect(result.summary['hot-99']).toBeGreaterThan(0);
    expect(phases.map((p) => p[0])).toEqual(['cells', 'neighbours', 'classes']);
    expect(phases.map((p) => p[1])).toEqual([...phases.map((p) => p[1])].sort((a, b) => a - b));
    // Transferred, not copied: the main thread's view is detached.
    expect(counts.byteLength).toBe(0);
    expect(client.pending).toBe(0);
  });

  it('reports analyst errors as errors and keeps serving', async () => {
    open();
    const params = resolveParams().hotspots;
    const tiny = { grid: 'square' as const, spec: squareGridSpec(-89.6, 35.45, 250), col: Int32Array.of(0), row: Int32Array.of(0), counts: Float64Array.of(3) };
    await expect(client.run('hotspots', { source: tiny, params: { ...params, studyArea: 'occupied' } })).rejects.toThrow(/hotspots need at least 3/);
    const ok = await client.run('hotspots', { source: squareSource(3), params: { ...params, studyArea: 'bbox' } });
    expect(ok.cells.length).toBe(900);
  });

  it('cancel stops a long Knox run at its next phase and later runs still work', async () => {
    open();
    const n = 3000;
    const lon = Float64Array.from({ length: n }, (_, i) => -89.6 + ((i * 0.618) % 1) * 0.05);
    const lat = Float64Array.from({ length: n }, (_, i) => 35.45 + ((i * 0.755) % 1) * 0.05);
    const day = Int32Array.from({ length: n }, (_, i) => 20_600 + (i % 90));
    const small = { lon: lon.slice(0, 50), lat: lat.slice(0, 50), day: day.slice(0, 50) };
    const controller = new AbortController();
    const knoxParams = resolveParams().knox;
    const pending = client.run('knox', { events: { lon, lat, day }, params: knoxParams, iterations: 99_999, seed: 1 }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AnalysisCancelled', cancelled: true });
    const r = await client.run('knox', { events: small, params: knoxParams, iterations: 19, seed: 2 });
    expect(r.events).toBe(50);
    expect(r.rows.reduce((a, row) => a + row.observed, 0)).toBe((50 * 49) / 2);
  }, 30_000);
});
