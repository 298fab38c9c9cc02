import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allocationFailureMessage,
  checkFileSize,
  ENGINE_FACTOR,
  ENGINE_LIMIT_BYTES,
  fileBudget,
  isAllocationFailure,
  memorySignals,
  sizedFormat,
} from '../../src/data/size-budget';
import { openNodeDb } from '../../src/data/db-node';

const GiB = 1024 ** 3;
const SIX_GIB = 6 * GiB;

describe('size budget', () => {
  it('reads only plausible browser signals', () => {
    expect(memorySignals({ performance: { memory: { jsHeapSizeLimit: 4294705152 } }, navigator: { deviceMemory: 8 } })).toEqual({
      jsHeapSizeLimitBytes: 4294705152,
      deviceMemoryGiB: 8,
    });
    expect(memorySignals({ performance: { memory: { jsHeapSizeLimit: 'lots' } }, navigator: { deviceMemory: -1 } })).toEqual({});
    expect(memorySignals({})).toEqual({});
  });

  it('takes the tightest ceiling, and each signal can be the one that decides', () => {
    // No signal: the conservative 4 GiB machine, half of it for the tab, shared by page + wasm copies.
    const none = fileBudget('csv');
    expect(none.limitedBy).toBe('device');
    expect(none.maxBytes).toBe(Math.floor((2 * GiB) / (1 + 1 + ENGINE_FACTOR.csv)));
    // A big machine: DuckDB's own memory limit decides.
    const big = fileBudget('csv', { deviceMemoryGiB: 8, jsHeapSizeLimitBytes: 4 * GiB });
    expect(big.limitedBy).toBe('engine');
    expect(big.maxBytes).toBe(Math.floor(ENGINE_LIMIT_BYTES / ENGINE_FACTOR.csv));
    // A small heap limit decides for the page-side copy.
    expect(fileBudget('csv', { deviceMemoryGiB: 8, jsHeapSizeLimitBytes: 100e6 }).limitedBy).toBe('heap');
    // A larger engine limit runs into the 4 GiB wasm32 ceiling instead.
    expect(fileBudget('csv', { deviceMemoryGiB: 64, engineLimitBytes: 16e9 }).limitedBy).toBe('wasm');
    // Parquet expands more per byte than CSV; GeoJSON never reaches DuckDB's staging tables.
    expect(fileBudget('parquet', { deviceMemoryGiB: 8 }).maxBytes).toBeLessThan(big.maxBytes);
    expect(fileBudget('geojson', { deviceMemoryGiB: 8 }).limitedBy).toBe('device');
    // More memory never lowers the budget.
    for (const f of ['csv', 'parquet', 'geojson', 'gtfs'] as const) {
      let last = 0;
      for (const gib of [0.5, 1, 2, 4, 8]) {
        const b = fileBudget(f, { deviceMemoryGiB: gib }).maxBytes;
        expect(b).toBeGreaterThanOrEqual(last);
        last = b;
      }
    }
  });

  it('refuses a 6 GB CSV with its name, size, the limit and what to do next', () => {
    const check = checkFileSize({ name: 'calls 2015-2024.csv', size: SIX_GIB }, { deviceMemoryGiB: 8, jsHeapSizeLimitBytes: 4294705152 });
    expect(check?.ok).toBe(false);
    if (!check || check.ok) throw new Error('expected a refusal');
    expect(check.message).toContain('calls 2015-2024.csv is 6.4 GB');
    expect(check.message).toContain(`up to about ${Math.round(check.budget.maxBytes / 1e6)} MB here`);
    expect(check.message).toContain('The file was not read.');
    expect(check.message).toMatch(/Parquet/);
    expect(check.message).toContain('npm run prepare-archive');
    // One byte under the budget passes; one over does not.
    const max = check.budget.maxBytes;
    expect(checkFileSize({ name: 'a.csv', size: max }, { deviceMemoryGiB: 8, jsHeapSizeLimitBytes: 4294705152 })?.ok).toBe(true);
    expect(checkFileSize({ name: 'a.csv', size: max + 1 }, { deviceMemoryGiB: 8, jsHeapSizeLimitBytes: 4294705152 })?.ok).toBe(false);
  });

  it('knows the format from the name like the import does', () => {
    expect(sizedFormat('x/Calls.CSV')).toBe('csv');
    expect(sizedFormat('calls.tsv')).toBe('csv');
    expect(sizedFormat('stop_times.txt')).toBe('gtfs');
    expect(sizedFormat('export.txt')).toBe('csv');
    expect(sizedFormat('a.parquet')).toBe('parquet');
    expect(sizedFormat('areas.geojson')).toBe('geojson');
    expect(sizedFormat('calls.zip')).toBeNull();
    expect(checkFileSize({ name: 'calls.zip', size: SIX_GIB })).toBeNull();
  });

  it('matches the engine limit the browser build sets', () => {
    const text = readFileSync(path.resolve(__dirname, '../../src/data/db-browser.ts'), 'utf8');
    const limit = /DEFAULT_MEMORY_LIMIT = '(\d+)GB'/.exec(text)?.[1];
    expect(Number(limit) * 1e9).toBe(ENGINE_LIMIT_BYTES);
  });

  it('recognises real allocation failures from V8 and DuckDB, and nothing else', async () => {
    let v8: unknown;
    try {
      new ArrayBuffer(Number.MAX_SAFE_INTEGER);
    } catch (e) {
      v8 = e;
    }
    expect(v8).toBeInstanceOf(RangeError);
    expect(isAllocationFailure(v8)).toBe(true);

    const db = await openNodeDb({ memoryLimit: '4MB' });
    let duck: unknown;
    try {
      await db.query("CREATE TABLE big AS SELECT range AS i, repeat('x', 100) || range AS s FROM range(200000)");
    } catch (e) {
      duck = e;
    } finally {
      await db.close();
    }
    expect(String(duck)).toMatch(/Out of Memory/i);
    expect(isAllocationFailure(duck)).toBe(true);

    expect(isAllocationFailure(new TypeError('x is undefined'))).toBe(false);
    expect(isAllocationFailure(new RangeError('Invalid time value'))).toBe(false);
    expect(isAllocationFailure(new Error('Conversion Error: Could not convert string'))).toBe(false);
    expect(allocationFailureMessage('big.csv', 3e9)).toMatch(/^big\.csv \(3\.0 GB\) needed more memory .*prepare-archive/);
  });
});
