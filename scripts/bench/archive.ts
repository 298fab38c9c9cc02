import { rmSync } from 'node:fs';
import path from 'node:path';
import { prepareArchive } from '../prepare';
import { benchCacheDir } from './cache';
import { ensureDataset } from './generate';

/**
 * The opt-in archive benchmark: a 20M-call, 10-year demo-city archive as CSV (the worst
 * case: every byte parsed) through scripts/prepare.ts with a 2 GB memory limit, so the data
 * (≈4 GB of CSV) does not fit and DuckDB must spill.
 */
export async function benchArchive(rows: number, log: (s: string) => void) {
  const d = await ensureDataset(rows, { spanYears: 10, log });
  const outDir = path.join(benchCacheDir(), `archive-${rows}`);
  log(`archive: preparing ${rows.toLocaleString('en-US')} calls (${(d.csvBytes / 1e9).toFixed(1)} GB CSV) with memory_limit 2GB`);
  rmSync(outDir, { recursive: true, force: true });
  const r = await prepareArchive({ inputs: [d.csv], outDir, memoryLimit: '2GB', log });
  // Kept in the cache (not the repo): the in-app date-range load reads it next.
  return {
    requestedRows: rows,
    inputCsvBytes: d.csvBytes,
    memoryLimit: '2GB',
    threads: 2,
    ...r,
    partitions: r.partitions.length,
    rowsPerSecond: Math.round((r.rows / r.timingsMs.total) * 1000),
  };
}
