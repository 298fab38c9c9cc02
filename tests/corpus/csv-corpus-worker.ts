/**
 * Child process for the CSV corpus test: DuckDB-wasm's node build runs in-process and
 * blocking, so a hang or a wasm trap would take the test runner down with it. The parent
 * (tests/unit/corpora-csv.test.ts) sends one file path at a time and kills us on timeout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openNodeDb } from '../../src/data/db-node';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { stageCsv } from '../../src/data/load-csv';
import { scalar } from '../../src/data/rows';
import type { CorpusOutcome } from './csv-corpus-types';

let db: Db | null = null;
let n = 0;

async function handle(root: string, rel: string): Promise<CorpusOutcome> {
  db ??= await openNodeDb({ memoryLimit: '1GB' });
  const bytes = readFileSync(path.join(root, rel));
  const table = `corpus_${++n}`;
  try {
    const r = await stageCsv(db, { name: path.basename(rel), bytes }, { table, append: false });
    const tableRows = scalar(await db.query(`SELECT count(*) FROM "${table}"`));
    const nullLines = scalar(await db.query(`SELECT count(*) FROM "${table}" WHERE _source_line IS NULL`));
    await db.query(`DROP TABLE "${table}"`);
    return {
      file: rel,
      status: 'imported',
      inputRows: r.inputRows,
      stagedRows: r.stagedRows,
      rejected: r.rejected.length,
      tableRows,
      linesExact: nullLines === 0,
      rejectedLines: r.rejected.slice(0, 20).map((x) => x.line),
      columns: r.columns.length,
      encoding: r.encoding,
      warnings: r.warnings,
    };
  } catch (e) {
    if (isImportError(e)) return { file: rel, status: 'error', message: e.message };
    // Anything else is a bug or an engine trap: report it and start over with a fresh engine.
    db = null;
    return { file: rel, status: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

process.on('message', (msg: { root: string; file: string }) => {
  handle(msg.root, msg.file).then(
    (outcome) => {
      process.send?.(outcome);
      if (outcome.status === 'crash') process.exit(3);
    },
    (e) => {
      process.send?.({ file: msg.file, status: 'crash', message: String(e) } satisfies CorpusOutcome);
      process.exit(3);
    },
  );
});
process.send?.({ ready: true });
