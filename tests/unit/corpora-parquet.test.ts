import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CorpusOutcome } from '../corpora/parquet-runner';
import { corporaDir, skipReason } from '../engine';

/**
 * Every file of apache/parquet-testing through the real stageParquet, in a child process
 * with a per-file time limit. Outcomes are snapshotted (REGEN=1 rewrites) so that a change
 * after a parquet-wasm or DuckDB-wasm upgrade shows up as a diff.
 */
const corpora = corporaDir();
const root = corpora ? path.join(corpora, 'parquet-testing') : '';
const here = path.dirname(new URL(import.meta.url).pathname);
const runner = path.resolve(here, '../corpora/parquet-runner.ts');
const snapshotPath = path.resolve(here, '../fixtures/corpora/parquet-outcomes.json');
const PER_FILE_MS = 15_000;

function runCorpus(files: string[], perFileMs: number): Promise<CorpusOutcome[]> {
  const results: CorpusOutcome[] = [];
  return new Promise((resolve) => {
    const startRunner = (remaining: string[]) => {
      if (remaining.length === 0) return resolve(results);
      const child: ChildProcess = fork(runner, [root, ...remaining], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      let current: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr = (stderr + String(d)).slice(-2000);
      });
      child.on('message', (msg: { start?: string; done?: CorpusOutcome }) => {
        if (msg.start) {
          current = msg.start;
          clearTimeout(timer);
          timer = setTimeout(() => {
            results.push({ file: current!, outcome: 'timeout', message: `no result within ${perFileMs} ms` });
            child.kill('SIGKILL');
          }, perFileMs);
        }
        if (msg.done) {
          clearTimeout(timer);
          results.push(msg.done);
          current = undefined;
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const finished = new Set(results.map((r) => r.file));
        if (current && !finished.has(current)) {
          results.push({ file: current, outcome: 'crash', message: `runner died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}` });
        }
        const rest = remaining.filter((f) => !results.some((r) => r.file === f));
        // A runner that dies before starting any file would loop forever; record it instead.
        if (rest.length === remaining.length) {
          for (const f of rest) results.push({ file: f, outcome: 'crash', message: `runner failed to start: ${stderr.trim()}` });
          return resolve(results);
        }
        startRunner(rest);
      });
    };
    startRunner(files);
  });
}

/** Row counts (sum of row groups) from the corpus's PROVENANCE.md, read from the footers upstream. */
function provenanceRows(): Map<string, number> {
  const text = readFileSync(path.join(root, 'PROVENANCE.md'), 'utf8');
  const rows = new Map<string, number>();
  for (const m of text.matchAll(/^\| ([\w.-]+\.parquet) \| (\d+)/gm)) rows.set(`bad_data/${m[1]}`, Number(m[2]));
  for (const m of text.matchAll(/\*{0,2}([\w.-]+?)\*{0,2} \((?:\*\*)?(?:footer \d+, row group )?(\d+)/g)) {
    const file = `data/${m[1]}.parquet`;
    if (existsSync(path.join(root, file))) rows.set(file, Number(m[2]));
  }
  return rows;
}

function corpusFiles(): string[] {
  return ['data', 'bad_data'].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.parquet') || f.endsWith('.parquet.encrypted'))
      .sort()
      .map((f) => `${dir}/${f}`),
  );
}

describe.skipIf(!corpora)('parquet-testing corpus', () => {
  skipReason('shared corpora', corpora);

  it('the harness survives a runner that crashes or hangs', async () => {
    const outcomes = await runCorpus(['__self-test__/crash', '__self-test__/hang', 'data/single_nan.parquet'], 4_000);
    expect(outcomes.map((o) => [o.file, o.outcome])).toEqual([
      ['__self-test__/crash', 'crash'],
      ['__self-test__/hang', 'timeout'],
      ['data/single_nan.parquet', 'loaded'],
    ]);
  });

  it('imports every file with full row accounting or rejects it with a clear error', async () => {
    const files = corpusFiles();
    expect(files.length).toBe(65);
    const outcomes = await runCorpus(files, PER_FILE_MS);
    expect(outcomes.map((o) => o.file).sort()).toEqual([...files].sort());
    const footerRows = provenanceRows();
    expect(footerRows.size).toBeGreaterThanOrEqual(60);

    for (const o of outcomes) {
      expect(['loaded', 'rejected'], `${o.file}: ${o.outcome} ${o.message ?? ''}`).toContain(o.outcome);
      if (o.outcome === 'loaded') {
        expect(o.stagedRows! + o.rejectedRows!, o.file).toBe(o.inputRows);
        if (footerRows.has(o.file)) expect(o.inputRows, `${o.file} row count vs PROVENANCE.md`).toBe(footerRows.get(o.file));
        if (o.oracle) expect(o.oracle.mismatches, `${o.file}: ${o.oracle.firstMismatch}`).toBe(0);
      } else {
        expect(o.message!.startsWith(`${path.basename(o.file)}: `), o.file).toBe(true);
        expect(o.message!.length, o.file).toBeLessThan(600);
      }
    }
    const byFile = new Map(outcomes.map((o) => [o.file, o]));
    // Value oracles exist for the four delta encodings and must all have been compared.
    for (const f of ['delta_binary_packed', 'delta_byte_array', 'delta_encoding_optional_column', 'delta_encoding_required_column']) {
      expect(byFile.get(`data/${f}.parquet`)?.oracle?.cells, f).toBeGreaterThan(0);
    }
    expect(byFile.get('data/large_string_map.brotli.parquet')?.message).toMatch(/decompressed/);
    expect(byFile.get('data/uniform_encryption.parquet.encrypted')?.message).toMatch(/encrypted/);
    expect(byFile.get('data/repeated_no_annotation.parquet')?.outcome).toBe('rejected');
    expect(byFile.get('data/column_chunk_key_value_metadata.parquet')).toMatchObject({ outcome: 'loaded', inputRows: 0 });

    const snapshot = Object.fromEntries(
      outcomes
        .sort((a, b) => a.file.localeCompare(b.file))
        .map(({ file, ms: _ms, ...rest }) => [file, rest]),
    );
    const total = outcomes.reduce((s, o) => s + (o.ms ?? 0), 0);
    console.info(`parquet corpus: ${outcomes.length} files, ${outcomes.filter((o) => o.outcome === 'loaded').length} loaded, ${total} ms of import time`);
    if (process.env.REGEN === '1' || !existsSync(snapshotPath)) {
      writeFileSync(snapshotPath, `${JSON.stringify(snapshot, null, 2)}\n`);
    }
    expect(snapshot).toEqual(JSON.parse(readFileSync(snapshotPath, 'utf8')));
  }, 120_000);
});
