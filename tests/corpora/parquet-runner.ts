/**
 * Child process for tests/unit/corpora-parquet.test.ts: imports corpus files one by one
 * through the real stageParquet and reports each outcome over IPC. It runs apart from the
 * test so a wasm trap, an out-of-memory abort or a hang kills only this process; the parent
 * records the file in flight and restarts a runner for the rest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { csvParseRows } from 'd3';
import { isImportError } from '../../src/data/errors';
import { stageParquet } from '../../src/data/load-parquet';
import { toRows } from '../../src/data/rows';
import { openTestDb } from '../engine';

export interface CorpusOutcome {
  file: string;
  outcome: 'loaded' | 'rejected' | 'bug' | 'crash' | 'timeout';
  inputRows?: number;
  stagedRows?: number;
  rejectedRows?: number;
  columns?: number;
  warnings?: string[];
  message?: string;
  /** mismatching cells against *_expect.csv, when there is one */
  oracle?: { cells: number; mismatches: number; firstMismatch?: string };
  ms?: number;
}

const [root, ...files] = process.argv.slice(2);
const send = (msg: unknown) => process.send?.(msg);

const db = await openTestDb();
for (const rel of files) {
  send({ start: rel });
  const t0 = performance.now();
  const full = path.join(root!, rel);
  const name = path.basename(rel);
  // Harness self-test: prove the parent survives a dead or stuck runner.
  if (rel === '__self-test__/crash') process.kill(process.pid, 'SIGKILL');
  if (rel === '__self-test__/hang') await new Promise(() => setInterval(() => {}, 1000));
  let result: CorpusOutcome;
  try {
    const report = await stageParquet(db, { name, bytes: new Uint8Array(readFileSync(full)) }, { table: 'corpus', append: false });
    result = {
      file: rel,
      outcome: 'loaded',
      inputRows: report.inputRows,
      stagedRows: report.stagedRows,
      rejectedRows: report.rejected.length,
      columns: report.columns.length,
      warnings: report.warnings,
    };
    const oraclePath = full.replace(/\.parquet$/, '_expect.csv');
    if (oraclePath !== full && existsQuiet(oraclePath)) result.oracle = await compareWithOracle(oraclePath, report.columns);
  } catch (e) {
    result = isImportError(e)
      ? { file: rel, outcome: 'rejected', message: e.message }
      : { file: rel, outcome: 'bug', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  result.ms = Math.round(performance.now() - t0);
  send({ done: result });
}
await db.close();
process.exit(0);

function existsQuiet(p: string): boolean {
  try {
    readFileSync(p, { flag: 'r' });
    return true;
  } catch {
    return false;
  }
}

/** Compares by position: the oracle headers differ slightly from the Parquet names upstream. */
async function compareWithOracle(oraclePath: string, columns: string[]): Promise<NonNullable<CorpusOutcome['oracle']>> {
  const [, ...expected] = csvParseRows(readFileSync(oraclePath, 'utf8'));
  const staged = toRows(await db.query('SELECT * EXCLUDE (_source_file, _source_line) FROM corpus ORDER BY _source_line'));
  let cells = 0;
  let mismatches = 0;
  let firstMismatch: string | undefined;
  const rows = Math.max(expected.length, staged.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns.length; c++) {
      cells++;
      const want = expected[r]?.[c] ?? '<missing row>';
      const got = staged[r]?.[columns[c]!];
      const gotText = got === null || got === undefined ? '' : String(got);
      if (gotText !== want) {
        mismatches++;
        firstMismatch ??= `row ${r + 1} column ${columns[c]}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
      }
    }
  }
  return { cells, mismatches, firstMismatch };
}
