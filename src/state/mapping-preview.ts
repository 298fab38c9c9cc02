import type { Db } from '../data/db-types';
import { detectMapping } from '../data/detect-mapping';
import { stageCsv } from '../data/load-csv';
import { stageParquet } from '../data/load-parquet';
import { getParquetWasm } from '../data/parquet-wasm';
import { matchPreset } from '../data/presets';
import { toRows } from '../data/rows';
import { ident, sql } from '../data/sql';
import type { CanonicalColumn } from '../data/types';
import type { MappingProposal } from './mapping-proposal';
import type { NamedBytes } from './teammate-modules';


/** Enough rows to recognise formats and coordinate systems, cheap even for a 3 GB file. */
const PREVIEW_BYTES = 1 << 20;
const SAMPLE_ROWS = 200;
let seq = 0;

/**
 * Detects the mapping on a preview of the first file for the analyst to review: a CSV is
 * cut at the last line break inside its first megabyte and staged by the real CSV stager
 * (same sniffing, same encoding rules), then the staging table is dropped again.
 */
export async function previewMapping(db: Db, file: NamedBytes, within?: [number, number, number, number]): Promise<MappingProposal> {
  const table = `_preview_${++seq}`;
  try {
    // Copies, never views: duckdb-wasm transfers registered buffers to its worker, which
    // would leave the real import holding a detached (0-byte) array.
    if (/\.parquet$/i.test(file.name)) {
      const head = await parquetHead(file.bytes);
      const staged = head ? await stageParquet(db, { name: file.name, bytes: head }, { table, append: false }) : null;
      // No rows in the head (a file the reader cannot decode as its footer says): the whole
      // file is staged so the analyst gets the stager's own explanation now.
      if (!staged || staged.stagedRows === 0) await stageParquet(db, { name: file.name, bytes: file.bytes.slice() }, { table, append: false });
    } else {
      await stageCsv(db, { name: file.name, bytes: csvPrefix(file.bytes) }, { table, append: false });
    }
    const rows = toRows(await db.query(sql`SELECT * FROM ${ident(table)} LIMIT ${SAMPLE_ROWS}`));
    const columns = Object.keys(rows[0] ?? {}).filter((c) => !c.startsWith('_source_'));
    const samples: Record<string, (string | null)[]> = {};
    for (const c of columns) samples[c] = rows.map((r) => (r[c] === null || r[c] === undefined ? null : String(r[c])));
    const detection = detectMapping(columns, samples, within ? { within } : {});
    const confidence: MappingProposal['confidence'] = {};
    for (const [field, c] of Object.entries(detection.confidence)) {
      if (c && field !== 'location') confidence[field as CanonicalColumn] = c.score;
    }
    // A built-in preset (e.g. NOPD) wins, as it does in importDataset: the names are known exactly.
    const preset = matchPreset(columns);
    if (preset) {
      for (const field of Object.keys(preset.mapping.columns)) confidence[field as CanonicalColumn] = 1;
      const shown: Record<string, string[]> = {};
      for (const c of columns) shown[c] = distinctSamples(samples[c]!);
      return { file: file.name, columns, samples: shown, mapping: preset.mapping, confidence, problems: [`Matched the built-in ${preset.name.toUpperCase()} preset.`] };
    }
    const shown: Record<string, string[]> = {};
    for (const c of columns) shown[c] = distinctSamples(samples[c]!);
    return { file: file.name, columns, samples: shown, mapping: detection.mapping, confidence, problems: detection.problems };
  } finally {
    await db.query(sql`DROP TABLE IF EXISTS ${ident(table)}`);
  }
}

/**
 * The first rows of a Parquet file as a Parquet file of their own, staged by the same stager
 * as the whole file would be (same types, same text). Staging the whole file only to read
 * 200 rows was 28 s of a 1M-call import in the tab (issue #8). Null when the file does not
 * decode: the full staging then says what is wrong with it.
 */
async function parquetHead(bytes: Uint8Array): Promise<Uint8Array | null> {
  try {
    const pw = await getParquetWasm();
    return pw.writeParquet(pw.readParquet(bytes, { limit: SAMPLE_ROWS }));
  } catch {
    return null;
  }
}

function distinctSamples(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].slice(0, 3);
}

function csvPrefix(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= PREVIEW_BYTES) return bytes.slice();
  const cut = bytes.lastIndexOf(0x0a, PREVIEW_BYTES);
  return bytes.slice(0, cut > 0 ? cut + 1 : PREVIEW_BYTES);
}
