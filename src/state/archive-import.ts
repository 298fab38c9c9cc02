import { useSyncExternalStore } from 'react';
import { type ArchiveManifest, type ArchivePartition, MANIFEST_LIMITS, monthKey, parseArchiveManifest } from '../data/archive-manifest';
import { type MonthRange, monthsIn, rangeCost, rangeLabel } from '../data/archive-range';
import { ImportError, isImportError } from '../data/errors';
import type { ColumnMapping } from '../data/types';
import { getDb } from './db';
import { importFiles } from './import-flow';
import { previewMapping } from './mapping-preview';
import { recallMapping } from './remembered-mappings';
import { getSession, updateSession } from './session-store';

/**
 * A prepared archive folder (scripts/prepare.ts) opened in the page: the manifest says which
 * months exist and how many rows each holds; a chosen range of months is read from the
 * folder's Parquet files through the ordinary import (parquet-wasm → DuckDB, rows counted
 * and de-duplicated as for any file), and nothing else in the folder is read.
 */
export interface ListedFile {
  /** path inside the chosen folder, '/'-separated, starting with the folder's own name */
  path: string;
  file: File;
}

export interface ArchiveFolder {
  /** the folder's name, shown in the header */
  name: string;
  manifest: ArchiveManifest;
  /** files by path relative to the folder that holds manifest.json */
  files: Map<string, File>;
}

export interface LoadedRange {
  range: MonthRange;
  months: number;
  rows: number;
}

export interface ArchiveState {
  folder: ArchiveFolder | null;
  dialogOpen: boolean;
  loaded: LoadedRange | null;
}

/** The relative path of a File from `<input webkitdirectory>`, or its bare name. */
export function listedFromInput(files: readonly File[]): ListedFile[] {
  return files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

const HIVE = /(^|\/)calls\/year=\d{4}\/month=\d{1,2}\/[^/]+\.parquet$/;

/** A folder listing that holds a prepared archive (manifest.json and hive month folders). */
export function isArchiveListing(listed: readonly ListedFile[]): boolean {
  return listed.some((f) => /(^|\/)manifest\.json$/.test(f.path)) && listed.some((f) => HIVE.test(f.path));
}

export async function readArchiveFolder(listed: readonly ListedFile[]): Promise<ArchiveFolder> {
  const manifests = listed.filter((f) => /(^|\/)manifest\.json$/.test(f.path));
  const depth = (p: string) => p.split('/').length;
  const shallowest = Math.min(...manifests.map((m) => depth(m.path)));
  const top = manifests.filter((m) => depth(m.path) === shallowest);
  const folderName = listed[0]?.path.split('/')[0] ?? 'folder';
  if (top.length === 0) {
    throw new ImportError(folderName, 'has no manifest.json, so it is not a prepared archive.', 'Open the folder that `npm run prepare-archive -- --out <folder>` wrote (it holds manifest.json, calls/ and cubes/).');
  }
  if (top.length > 1) {
    throw new ImportError(folderName, `holds ${top.length} archives (${top.map((m) => m.path).join(', ')}).`, 'Open one archive folder at a time.');
  }
  const m = top[0]!;
  // Refused by size before reading: a huge "manifest" must not be pulled into memory.
  if (m.file.size > MANIFEST_LIMITS.maxBytes) {
    throw new ImportError(m.path, `is ${m.file.size.toLocaleString('en-US')} bytes; an archive manifest is at most ${MANIFEST_LIMITS.maxBytes.toLocaleString('en-US')}.`, 'Open the folder written by `npm run prepare-archive`.');
  }
  const manifest = parseArchiveManifest(await m.file.text(), m.path);
  const root = m.path.slice(0, m.path.length - 'manifest.json'.length);
  const files = new Map<string, File>();
  for (const f of listed) if (f.path.startsWith(root)) files.set(f.path.slice(root.length), f.file);
  const name = root.replace(/\/$/, '').split('/').pop() || folderName;
  // A manifest from before per-file listings has no sizes: the folder listing knows them.
  const partitions = manifest.partitions.map((p) => (p.bytes !== null ? p : { ...p, bytes: monthFiles(files, p).reduce((n, [, f]) => n + f.size, 0) }));
  return { name, manifest: { ...manifest, partitions }, files };
}

function monthFiles(files: Map<string, File>, p: ArchivePartition): [string, File][] {
  const dir = `calls/year=${p.year}/month=${p.month}/`;
  return [...files].filter(([path]) => path.startsWith(dir) && path.endsWith('.parquet') && !path.slice(dir.length).includes('/')).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The files of the chosen months, checked against the manifest before anything is read: a
 * month whose file is missing or has another size than prepare wrote would load rows that
 * no longer match the manifest's count.
 */
export function partitionFiles(folder: ArchiveFolder, parts: readonly ArchivePartition[]): { path: string; file: File }[] {
  const out: { path: string; file: File }[] = [];
  const fix = 'The folder changed after it was prepared: run `npm run prepare-archive` again, or open the complete folder.';
  for (const p of parts) {
    if (p.files) {
      for (const f of p.files) {
        const file = folder.files.get(f.path);
        if (!file) throw new ImportError(`${folder.name}/${f.path}`, `is listed in manifest.json for ${monthKey(p)} but is not in the folder.`, fix);
        if (file.size !== f.bytes) throw new ImportError(`${folder.name}/${f.path}`, `is ${file.size.toLocaleString('en-US')} bytes; manifest.json says ${f.bytes.toLocaleString('en-US')}.`, fix);
        out.push({ path: f.path, file });
      }
    } else {
      const found = monthFiles(folder.files, p);
      if (found.length === 0 && p.rows > 0) throw new ImportError(`${folder.name}/calls/year=${p.year}/month=${p.month}/`, `holds no Parquet file, but manifest.json counts ${p.rows.toLocaleString('en-US')} calls in ${monthKey(p)}.`, fix);
      out.push(...found.map(([path, file]) => ({ path, file })));
    }
  }
  return out;
}

/**
 * The archive's partitions hold the source columns with the received time already typed as
 * `received_at` (prepare renamed it); the manifest names the others. Detection fills the rest
 * (dispatch times, priority…); a mapping the analyst confirmed for these columns wins.
 */
export function archiveMapping(detected: ColumnMapping, columns: readonly string[], manifest: ArchiveManifest): ColumnMapping {
  const has = (c: string | undefined): c is string => c !== undefined && columns.includes(c);
  const c = manifest.columns;
  const mapping: ColumnMapping = { ...detected, columns: { ...detected.columns }, timestampFormats: { ...detected.timestampFormats } };
  if (has('received_at')) {
    mapping.columns.received_at = 'received_at';
    mapping.timestampFormats.received_at = 'iso';
  }
  if (has(c.id)) mapping.columns.call_id = c.id;
  if (has(c.type)) mapping.columns.type_text = c.type;
  if (has(c.typeCode)) mapping.columns.type_code = c.typeCode;
  if (has(c.lon) && has(c.lat)) mapping.location = { kind: 'lonlat', lon: c.lon, lat: c.lat };
  return mapping;
}

let state: ArchiveState = { folder: null, dialogOpen: false, loaded: null };
const listeners = new Set<() => void>();

function setArchive(patch: Partial<ArchiveState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function getArchive(): ArchiveState {
  return state;
}

export function subscribeArchive(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useArchive(): ArchiveState {
  return useSyncExternalStore(subscribeArchive, getArchive);
}

export function showArchiveDialog(open: boolean): void {
  setArchive({ dialogOpen: open && state.folder !== null });
}

/** Folder chosen or dropped: read its manifest and offer the months (nothing else is read yet). */
export async function openArchiveListing(listed: readonly ListedFile[]): Promise<boolean> {
  try {
    const folder = await readArchiveFolder(listed);
    setArchive({ folder, dialogOpen: true, loaded: null });
    updateSession({ error: null });
    return true;
  } catch (e) {
    updateSession({ error: sentence(e) });
    return false;
  }
}

/**
 * Loads the months of `range` in place of the current dataset. Returns false (with the
 * reason in the alert region, the previous dataset kept) when the folder does not match its
 * manifest or the import fails.
 */
export async function loadArchiveRange(range: MonthRange): Promise<boolean> {
  const folder = state.folder;
  if (!folder) return false;
  const parts = monthsIn(folder.manifest, range);
  const cost = rangeCost(parts);
  setArchive({ dialogOpen: false });
  let named: { name: string; bytes: Uint8Array }[];
  let mapping: ColumnMapping;
  try {
    if (parts.length === 0) throw new ImportError(folder.name, `has no month between ${range.from} and ${range.to}.`, 'Choose months the archive holds.');
    const files = partitionFiles(folder, parts);
    named = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) })));
    const proposal = await previewMapping(await getDb(), named[0]!);
    mapping = recallMapping(proposal.columns) ?? archiveMapping(proposal.mapping, proposal.columns, folder.manifest);
  } catch (e) {
    updateSession({ error: sentence(e) });
    return false;
  }
  const ok = await importFiles({ files: named, datasetName: `${folder.name} · ${rangeLabel(range)}`, mapping });
  const report = getSession().report;
  if (!ok || !report || getSession().datasetName !== `${folder.name} · ${rangeLabel(range)}`) {
    const said = getSession().error;
    if (said) updateSession({ error: archiveFailureSentence(folder.name, range, cost, said) });
    return false;
  }
  const monthsInArchive = folder.manifest.partitions.length;
  updateSession({
    report: { ...report, archive: { name: folder.name, from: range.from, to: range.to, months: parts.length, monthsInArchive, manifestRows: cost.rows, archiveRows: folder.manifest.rows } },
  });
  setArchive({ loaded: { range, months: parts.length, rows: report.rows.input } });
  if (report.rows.input !== cost.rows) {
    // The files were checked by size, so this means the manifest was edited by hand.
    updateSession({
      error: `${folder.name}: the files of ${rangeLabel(range)} hold ${report.rows.input.toLocaleString('en-US')} rows, but manifest.json counts ${cost.rows.toLocaleString('en-US')}. Run \`npm run prepare-archive\` again before relying on these counts.`,
    });
  }
  return true;
}

/**
 * The import's own sentence names every file it was given; for a range that is dozens of
 * month files, so they are folded into one phrase and the range is named instead.
 */
export function archiveFailureSentence(archive: string, range: MonthRange, cost: { months: number; rows: number }, said: string): string {
  const files = /calls\/year=\d{4}\/month=\d{1,2}\/[^,\s]+\.parquet(?:, calls\/year=\d{4}\/month=\d{1,2}\/[^,\s]+\.parquet)*/g;
  const folded = said.replace(files, `the ${cost.months === 1 ? 'month file' : `${cost.months} month files`}`);
  const advice = /memory/i.test(said) ? ' Choose fewer months: the range the dialog proposes is sized to the memory budget.' : '';
  return `${archive}, ${rangeLabel(range)} (${cost.months} ${cost.months === 1 ? 'month' : 'months'}, ${cost.rows.toLocaleString('en-US')} calls) did not load: ${folded}${advice}`;
}

function sentence(e: unknown): string {
  const kept = getSession().report ? ' The previous dataset is still loaded.' : '';
  if (isImportError(e)) return `${e.message}${kept}`;
  return `Could not open the archive folder: ${e instanceof Error ? e.message : String(e)}.${kept}`;
}
