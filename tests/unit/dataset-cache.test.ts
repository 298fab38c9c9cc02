/**
 * The dataset cache on real DuckDB and a real directory (the browser uses OPFS through the
 * same CacheStore interface; tests/e2e/persistence.test.ts covers that path): what is saved
 * comes back column for column, and a damaged, half-written or hostile cache is never used.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { parsePreset } from '../../src/data/presets';
import { toRows } from '../../src/data/rows';
import { type CacheStore, MANIFEST, restoreDataset, saveDataset, type DatasetSnapshot, cacheInfo, forgetDataset } from '../../src/state/dataset-cache';
import { openTestDb } from '../engine';

const demo = path.resolve(__dirname, '../../data/demo');

/** A directory on disk; rename() is atomic on one filesystem, as OPFS move() is. */
function dirStore(dir: string, o: { failRename?: boolean } = {}): CacheStore {
  return {
    read: async (n) => readFile(path.join(dir, n)).then((b) => new Uint8Array(b), () => null),
    write: async (n, b) => writeFile(path.join(dir, n), b),
    rename: async (a, b) => {
      if (o.failRename) throw new Error('tab closed before the rename');
      await rename(path.join(dir, a), path.join(dir, b));
    },
    remove: async (n) => rm(path.join(dir, n), { force: true }),
    list: async () => readdirSync(dir),
  };
}

const everything = async (db: Db) => toRows(await db.query('SELECT * FROM calls'));
const columns = async (db: Db) => toRows(await db.query(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'calls' ORDER BY column_index`));

describe('dataset cache', () => {
  let db: Db;
  /** a second engine, as after a reload */
  let fresh: Db;
  let dir: string;
  let snapshot: DatasetSnapshot;
  beforeAll(async () => {
    [db, fresh] = await Promise.all([openTestDb(), openTestDb()]);
    dir = mkdtempSync(path.join(tmpdir(), 'callsight-cache-'));
    const config = JSON.parse(readFileSync(path.join(demo, 'config.json'), 'utf8'));
    const { report, rejected } = await importDataset(db, [{ name: 'calls-messy.csv', bytes: readFileSync(path.join(demo, 'calls-messy.csv')) }], {
      mapping: parsePreset(config.expectedMapping),
    });
    const areas = { name: 'areas.geojson', bytes: new Uint8Array(readFileSync(path.join(demo, 'areas.geojson'))), label: 'Demo city' };
    snapshot = { datasetName: 'calls-messy.csv', report, rejected, areas, gtfs: [{ name: 'stops.txt', bytes: new TextEncoder().encode('stop_id,stop_name,stop_lat,stop_lon\n1,A,1,2\n') }] };
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await fresh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores the calls table, report, rejects and context files exactly as saved', async () => {
    const saved = await saveDataset(db, dirStore(dir), snapshot, { now: new Date('2026-11-26T01:00:00Z') });
    expect(saved.saved).toBe(true);
    expect(snapshot.rejected.length).toBeGreaterThan(0);
    {
      const out = await restoreDataset(fresh, dirStore(dir));
      expect('problem' in out).toBe(false);
      const r = out.restored!;
      expect(r.info).toMatchObject({ datasetName: 'calls-messy.csv', savedAt: '2026-11-26T01:00:00.000Z', rows: snapshot.report.rows.loaded - snapshot.report.rows.duplicates });
      expect(r.report).toEqual(snapshot.report);
      expect(r.rejected).toEqual(snapshot.rejected);
      expect(r.areas?.label).toBe('Demo city');
      expect(r.areas?.bytes).toEqual(snapshot.areas!.bytes);
      expect(r.gtfs.map((f) => f.name)).toEqual(['stops.txt']);
      expect(await columns(fresh)).toEqual(await columns(db));
      expect(await everything(fresh)).toEqual(await everything(db));
      await expect(cacheInfo(dirStore(dir))).resolves.toMatchObject({ datasetName: 'calls-messy.csv', rows: r.info.rows });
    }
  }, 60_000);

  it('saves a large table as consecutive row-range parts and restores them in order, row for row', async () => {
    const rows = snapshot.report.rows.loaded - snapshot.report.rows.duplicates;
    const partRows = Math.ceil(rows / 3) - 1; // 4 parts, the last one short
    const saved = await saveDataset(db, dirStore(dir), snapshot, { partRows });
    expect(saved.saved).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: { role: string; original: string }[] };
    expect(manifest.files.filter((f) => f.role === 'calls').map((f) => f.original)).toEqual(['calls-1.parquet', 'calls-2.parquet', 'calls-3.parquet', 'calls-4.parquet']);
    const out = await restoreDataset(fresh, dirStore(dir));
    expect(out.restored?.info.rows).toBe(rows);
    // physical order too: the views rely on calls staying sorted by received time
    const ordered = async (d: Db) => toRows(await d.query('SELECT * FROM calls ORDER BY rowid'));
    expect(await ordered(fresh)).toEqual(await ordered(db));
  }, 60_000);

  it('keeps the previous cache when a save stops before its manifest is renamed', async () => {
    await saveDataset(db, dirStore(dir), snapshot);
    const before = readFileSync(path.join(dir, MANIFEST), 'utf8');
    await expect(saveDataset(db, dirStore(dir, { failRename: true }), { ...snapshot, datasetName: 'half-written' })).rejects.toThrow(/rename/);
    expect(readFileSync(path.join(dir, MANIFEST), 'utf8')).toBe(before);
    await fresh.query('DROP TABLE IF EXISTS calls');
    const out = await restoreDataset(fresh, dirStore(dir));
    expect(out.restored?.info.datasetName).toBe('calls-messy.csv');
    // The next successful save clears the orphaned half-written files.
    await saveDataset(db, dirStore(dir), snapshot);
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: { name: string }[] };
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, ...manifest.files.map((f) => f.name)].sort());
  }, 60_000);

  it('refuses a damaged file, removes the cache and leaves DuckDB untouched', async () => {
    await saveDataset(db, dirStore(dir), snapshot);
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: { name: string; role: string }[] };
    const calls = path.join(dir, manifest.files.find((f) => f.role === 'calls')!.name);
    const bytes = readFileSync(calls);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(calls, bytes);
    {
      await fresh.query("CREATE OR REPLACE TABLE calls AS SELECT 'previous' AS call_id");
      const out = await restoreDataset(fresh, dirStore(dir));
      expect(out.restored).toBeNull();
      expect('problem' in out && out.problem).toMatch(/calls\.parquet is missing or damaged \(checksum mismatch\)\. It was removed; open the file again\./);
      expect(toRows(await fresh.query('SELECT call_id FROM calls'))).toEqual([{ call_id: 'previous' }]);
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 60_000);

  it('refuses hostile or foreign manifests with a sentence', async () => {
    await saveDataset(db, dirStore(dir), snapshot);
    const good = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Record<string, unknown> & { columns: { name: string; type: string }[] };
    const cases: [unknown, RegExp][] = [
      [{ ...good, columns: [...good.columns.slice(1), { name: 'x', type: 'VARCHAR); DROP TABLE calls; --' }] }, /never writes/],
      [{ ...good, version: 99 }, /format 99 by another version/],
      [{ ...good, extra: 1 }, /unknown field "extra"/],
      [{ ...good, rows: -1 }, /row count is not a count/],
    ];
    for (const [manifest, problem] of cases) {
      await saveDataset(db, dirStore(dir), snapshot);
      writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest));
      const out = await restoreDataset(db, dirStore(dir));
      expect(out.restored).toBeNull();
      expect('problem' in out && out.problem).toMatch(problem);
    }
    await saveDataset(db, dirStore(dir), snapshot);
    writeFileSync(path.join(dir, MANIFEST), `{"__proto__":{"x":1},${readFileSync(path.join(dir, MANIFEST), 'utf8').slice(1)}`);
    const out = await restoreDataset(db, dirStore(dir));
    expect('problem' in out && out.problem).toMatch(/unknown field "__proto__"/);
    expect(toRows(await db.query('SELECT count(*) AS n FROM calls'))[0]!.n).toBe(snapshot.report.rows.loaded - snapshot.report.rows.duplicates);
  }, 60_000);

  it('does not write a dataset over the size cap or the free space, and forgets on request', async () => {
    await forgetDataset(dirStore(dir));
    const capped = await saveDataset(db, dirStore(dir), snapshot, { maxBytes: 10_000 });
    expect(capped).toEqual({ saved: false, reason: expect.stringMatching(/^it needs \d+ MB and the cache is limited to 1 MB$/) });
    const full = await saveDataset(db, dirStore(dir), snapshot, { freeBytes: 1000 });
    expect(full.saved).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    // A column type the restore would refuse is never written in the first place.
    await fresh.query('CREATE OR REPLACE TABLE calls AS SELECT 1.5::DECIMAL(9,3) AS share');
    await expect(saveDataset(fresh, dirStore(dir), snapshot)).resolves.toEqual({ saved: false, reason: 'column share has type DECIMAL(9,3), which the cache cannot restore' });
    expect(readdirSync(dir)).toEqual([]);
    await saveDataset(db, dirStore(dir), snapshot);
    await forgetDataset(dirStore(dir));
    expect(readdirSync(dir)).toEqual([]);
    await expect(restoreDataset(db, dirStore(dir))).resolves.toEqual({ restored: null });
  }, 60_000);
});
