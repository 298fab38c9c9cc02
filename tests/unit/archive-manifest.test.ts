/**
 * A small archive prepared in the test from the demo city with scripts/prepare.ts (native
 * DuckDB, as an analyst would run it), then read the way the page reads a chosen folder:
 * manifest through the allow-list parser, a month range picked, only those files imported on
 * duckdb-wasm's node build. The row accounting must equal the manifest's counts, which must
 * equal a native count over the source file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareArchive } from '../../scripts/prepare';
import { type ArchiveManifest, MANIFEST_LIMITS, monthKey, parseArchiveManifest } from '../../src/data/archive-manifest';
import { defaultRange, estimatePeakBytes, monthsIn, orderedRange, rangeCost, rangeLabel } from '../../src/data/archive-range';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { importDataset } from '../../src/data/import-dataset';
import { toRows } from '../../src/data/rows';
import { archiveFailureSentence, archiveMapping, isArchiveListing, type ListedFile, partitionFiles, readArchiveFolder } from '../../src/state/archive-import';
import { previewMapping } from '../../src/state/mapping-preview';
import { openTestDb } from '../engine';

const DEMO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo/calls.parquet');

function listFolder(root: string): ListedFile[] {
  const out: ListedFile[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      // The page sees paths that start with the chosen folder's name (webkitRelativePath).
      else out.push({ path: path.relative(path.dirname(root), full).split(path.sep).join('/'), file: new File([readFileSync(full)], e.name) });
    }
  };
  walk(root);
  return out;
}

function refusal(text: string): string {
  try {
    parseArchiveManifest(text);
  } catch (e) {
    expect(isImportError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${text.slice(0, 200)}`);
}

describe('prepared archive: manifest, month range, partition import', () => {
  let scratch: string;
  let outDir: string;
  let manifestText: string;
  let manifest: ArchiveManifest;
  let db: Db;
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'callsight-archive-'));
    outDir = path.join(scratch, 'demo-archive');
    await prepareArchive({ inputs: [DEMO], outDir, memoryLimit: '512MB', threads: 1 });
    manifestText = readFileSync(path.join(outDir, 'manifest.json'), 'utf8');
    manifest = parseArchiveManifest(manifestText);
    db = await openTestDb();
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('reads the manifest prepare wrote: months, rows and file sizes match the folder and a native count of the source', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const truth = (await conn.runAndReadAll(`SELECT strftime(CAST(call_received AS TIMESTAMP), '%Y-%m') AS m, count(*)::INTEGER AS n FROM read_parquet('${DEMO}') GROUP BY 1 ORDER BY 1`))
      .getRowObjects()
      .map((r) => [String(r.m), Number(r.n)]);
    conn.closeSync();
    instance.closeSync();
    expect(manifest.partitions.map((p) => [monthKey(p), p.rows])).toEqual(truth);
    expect(manifest.rows).toBe(truth.reduce((n, [, r]) => n + Number(r), 0));
    expect(manifest.droppedRows).toBe(0);
    for (const p of manifest.partitions) {
      expect(p.files!.length).toBeGreaterThan(0);
      for (const f of p.files!) expect(statSync(path.join(outDir, f.path)).size).toBe(f.bytes);
    }
  });

  it('refuses oversized, malformed and odd manifests with a sentence naming the file and the problem', () => {
    const m = JSON.parse(manifestText) as Record<string, unknown> & { partitions: Record<string, unknown>[] };
    const variant = (f: (x: typeof m) => void) => {
      const x = structuredClone(m);
      f(x);
      return JSON.stringify(x);
    };
    expect(refusal(' '.repeat(MANIFEST_LIMITS.maxBytes + 1))).toMatch(/^manifest\.json: is 2,000,001 characters long/);
    expect(refusal('{"version": 1,')).toMatch(/not valid JSON\. Open the folder written by `npm run prepare-archive`/);
    expect(refusal(variant((x) => (x.version = 2)))).toMatch(/version 2/);
    expect(refusal(variant((x) => (x.partitions[0]!.month = 13)))).toMatch(/partition 1: month is 13/);
    expect(refusal(variant((x) => (x.partitions[0]!.rows = 1.5)))).toMatch(/rows is 1\.5/);
    expect(refusal(variant((x) => (x.partitions[0]!.rows = -1)))).toMatch(/rows is -1/);
    expect(refusal(variant((x) => (x.partitions[0]!.rows = 1e12)))).toMatch(/rows is 1000000000000/);
    expect(refusal(variant((x) => x.partitions.push({ ...x.partitions[0]! })))).toMatch(/lists 2026-06 twice/);
    expect(refusal(variant((x) => (x.rows = Number(x.rows) + 1)))).toMatch(/months add up to 50,301/);
    expect(refusal(variant((x) => ((x.partitions[1]!.files as { path: string }[])[0]!.path = 'calls/year=2026/month=7/../../../etc/passwd.parquet')))).toMatch(/is not a Parquet file inside calls\/year=2026\/month=7\//);
    expect(refusal(variant((x) => ((x.partitions[1]!.files as { path: string }[])[0]!.path = 'calls/year=2026/month=8/part-0.parquet')))).toMatch(/not a Parquet file inside calls\/year=2026\/month=7/);
    expect(refusal(variant((x) => (x.span = { start: '2026-13-99<script>', end: 'x' })))).toMatch(/span is/);
    expect(refusal(variant((x) => (x.partitions = Array.from({ length: MANIFEST_LIMITS.maxPartitions + 1 }, () => ({})))))).toMatch(/at most 2,400 months/);
    expect(refusal(variant((x) => ((x.columns as Record<string, unknown>).lon = 'a'.repeat(1000))))).toMatch(/columns\.lon is "a{50,}…; expected a short line of text/);
    expect(refusal(variant((x) => ((x.columns as Record<string, unknown>).type = 'call\ntype')))).toMatch(/columns\.type is "call\\ntype"/);
    // Unknown keys are dropped, known ones kept.
    const extra = parseArchiveManifest(variant((x) => Object.assign(x, { __proto__: { polluted: true }, evil: '<img src=x>', columns: { ...(x.columns as object), sql: 'DROP TABLE calls' } })));
    expect(Object.keys(extra).sort()).toEqual(['columns', 'createdAt', 'droppedRows', 'inputRows', 'partitions', 'rows', 'sources', 'span', 'version']);
    expect(Object.keys(extra.columns)).not.toContain('sql');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('default range: the latest months that fit the memory budget; costs add up', () => {
    const parts = manifest.partitions;
    const lastTwo = parts.slice(-2).reduce((n, p) => n + p.rows, 0);
    const lastThree = parts.slice(-3).reduce((n, p) => n + p.rows, 0);
    const budget = (estimatePeakBytes(lastTwo) + estimatePeakBytes(lastThree)) / 2;
    const r = defaultRange(manifest, budget);
    expect(r).toEqual({ from: monthKey(parts[parts.length - 2]!), to: monthKey(parts[parts.length - 1]!) });
    expect(rangeCost(monthsIn(manifest, r))).toMatchObject({ months: 2, rows: lastTwo, bytes: parts.slice(-2).reduce((n, p) => n + p.bytes!, 0) });
    // Calls still loaded while re-loading count too: the same budget then fits only one month.
    expect(defaultRange(manifest, budget, 20_000).from).toBe(monthKey(parts[parts.length - 1]!));
    // Nothing fits: still the latest month, never an empty range.
    expect(defaultRange(manifest, 1)).toEqual({ from: '2026-09', to: '2026-09' });
    expect(defaultRange(manifest, 1e12)).toEqual({ from: '2026-06', to: '2026-09' });
    expect(orderedRange('2026-09', '2026-07', 'from')).toEqual({ from: '2026-09', to: '2026-09' });
    expect(orderedRange('2026-09', '2026-07', 'to')).toEqual({ from: '2026-07', to: '2026-07' });
    expect(rangeLabel({ from: '2026-07', to: '2026-08' })).toBe('Jul 2026 – Aug 2026');
  });

  it('imports only the files of the chosen months: input = loaded + rejected = the manifest rows, every call inside the range', async () => {
    const listed = listFolder(outDir);
    expect(isArchiveListing(listed)).toBe(true);
    expect(isArchiveListing(listed.filter((f) => !f.path.endsWith('manifest.json')))).toBe(false);
    const folder = await readArchiveFolder(listed);
    expect(folder.name).toBe('demo-archive');
    const range = { from: '2026-06', to: '2026-07' };
    const parts = monthsIn(folder.manifest, range);
    const files = partitionFiles(folder, parts);
    expect(files.map((f) => f.path)).toEqual(['calls/year=2026/month=6/part-0.parquet', 'calls/year=2026/month=7/part-0.parquet']);
    const named = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) })));
    const proposal = await previewMapping(db, named[0]!);
    const mapping = archiveMapping(proposal.mapping, proposal.columns, folder.manifest);
    expect(mapping.columns).toMatchObject({ received_at: 'received_at', call_id: 'incident_number', type_text: 'call_type', type_code: 'call_type_code' });
    expect(mapping.location).toEqual({ kind: 'lonlat', lon: 'longitude', lat: 'latitude' });
    const { report } = await importDataset(db, named, { mapping });
    const expected = rangeCost(parts).rows;
    expect(report.rows.input).toBe(expected);
    expect(report.rows.loaded + report.rows.rejected).toBe(expected);
    const [span] = toRows(await db.query(`SELECT strftime(min(received_at), '%Y-%m') AS lo, strftime(max(received_at), '%Y-%m') AS hi, count(*)::INTEGER AS n FROM calls`));
    expect(span).toEqual({ lo: '2026-06', hi: '2026-07', n: report.rows.loaded - report.rows.duplicates });
  }, 60_000);

  it('a failed range load names the range, folds the month files into one phrase and says what to do', () => {
    // The sentence the import gave when 36 months of 5M calls ran out of memory in the tab (bench, 5M).
    const said = `${Array.from({ length: 36 }, (_, i) => `calls/year=${2023 + Math.floor((i + 9) / 12)}/month=${((i + 9) % 12) + 1}/part-0.parquet`).join(', ')} (172 MB) needed more memory than this browser tab could give while loading. The previous dataset is still loaded.`;
    expect(archiveFailureSentence('archive-5m', { from: '2023-10', to: '2026-09' }, { months: 36, rows: 5_000_000 }, said)).toBe(
      'archive-5m, Oct 2023 – Sep 2026 (36 months, 5,000,000 calls) did not load: the 36 month files (172 MB) needed more memory than this browser tab could give while loading. The previous dataset is still loaded. Choose fewer months: the range the dialog proposes is sized to the memory budget.',
    );
    expect(archiveFailureSentence('a', { from: '2026-07', to: '2026-07' }, { months: 1, rows: 5 }, 'calls/year=2026/month=7/part-0.parquet: bad row group.')).toBe('a, Jul 2026 (1 month, 5 calls) did not load: the month file: bad row group.');
  });

  it('refuses a folder whose files no longer match the manifest, naming the file', async () => {
    const listed = listFolder(outDir);
    const target = 'demo-archive/calls/year=2026/month=8/part-0.parquet';
    const shrunk = listed.map((f) => (f.path === target ? { path: f.path, file: new File([new Uint8Array(10)], 'part-0.parquet') } : f));
    const folder = await readArchiveFolder(shrunk);
    expect(() => partitionFiles(folder, monthsIn(folder.manifest, { from: '2026-07', to: '2026-07' }))).not.toThrow();
    expect(() => partitionFiles(folder, monthsIn(folder.manifest, { from: '2026-08', to: '2026-08' }))).toThrow(/demo-archive\/calls\/year=2026\/month=8\/part-0\.parquet: is 10 bytes; manifest\.json says [\d,]+\. The folder changed/);
    const missing = await readArchiveFolder(listed.filter((f) => f.path !== target));
    expect(() => partitionFiles(missing, monthsIn(missing.manifest, { from: '2026-06', to: '2026-09' }))).toThrow(/is listed in manifest\.json for 2026-08 but is not in the folder/);
    // A manifest written before per-file listings: sizes come from the folder, files from the month folders.
    const m = JSON.parse(manifestText) as { partitions: Record<string, unknown>[] };
    for (const p of m.partitions) {
      delete p.files;
      delete p.bytes;
    }
    const older = await readArchiveFolder(listed.map((f) => (f.path.endsWith('manifest.json') ? { path: f.path, file: new File([JSON.stringify(m)], 'manifest.json') } : f)));
    expect(older.manifest.partitions.map((p) => p.bytes)).toEqual(manifest.partitions.map((p) => p.bytes));
    expect(partitionFiles(older, monthsIn(older.manifest, { from: '2026-08', to: '2026-09' })).map((f) => f.path)).toEqual(['calls/year=2026/month=8/part-0.parquet', 'calls/year=2026/month=9/part-0.parquet']);
    const noManifest = listed.filter((f) => !f.path.endsWith('manifest.json'));
    await expect(readArchiveFolder(noManifest)).rejects.toThrow(/demo-archive: has no manifest\.json/);
  });
});
