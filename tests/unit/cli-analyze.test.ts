import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../scripts/analyze';
import { newOrleansDir, skipReason } from '../engine';

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const nola = newOrleansDir();

describe('npm run analyze', () => {
  it.skipIf(!nola)(`reports the New Orleans file as its README describes ${skipReason('New Orleans data', nola) ?? ''}`, async () => {
    const dir = nola!;
    const { json } = await analyze({
      files: [path.join(dir, 'nopd_cfs_2022_rtcc_subset.csv')],
      areas: path.join(dir, 'nola_neighborhood_statistical_areas.geojson'),
      stops: path.join(dir, 'norta_gtfs_2020'),
      json: true,
      help: false,
    });
    expect(json.rows).toEqual({ input: 7476, loaded: 7476, rejected: 0, duplicates: 948 });
    expect(json.timeRange).toEqual({ start: '2022-01-01T01:07:00', end: '2022-11-22T01:56:00' });
    const mapping = json.mapping as Record<string, string>;
    expect(mapping.call_id).toBe('item_number');
    expect(mapping.received_at).toBe('TimeCreate');
    // 202 distinct items sit at POINT(0 0); every other point is inside a neighbourhood.
    expect(json.geo).toMatchObject({ valid: 6528 - 202, missing: 202, outside: 0 });
    expect(json.areasLoaded).toBe(72);
    expect(json.stopsLoaded).toBe(2356);
  });

  it('prints one JSON object and exits 0, or a sentence and a non-zero code', async () => {
    const demo = path.join(root, 'data/demo/calls-sample.csv');
    const ok = await run(tsx, ['scripts/analyze.ts', demo, '--json'], { cwd: root });
    const parsed = JSON.parse(ok.stdout);
    expect(parsed.rows.input).toBe(2000);
    expect(parsed.rows.loaded + parsed.rows.rejected).toBe(parsed.rows.input);

    const missing = await run(tsx, ['scripts/analyze.ts', '/no/such/file.csv'], { cwd: root }).catch((e) => e);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read \/no\/such\/file.csv: ENOENT/);

    const usage = await run(tsx, ['scripts/analyze.ts', '--bogus'], { cwd: root }).catch((e) => e);
    expect(usage.code).toBe(2);
  });
});
