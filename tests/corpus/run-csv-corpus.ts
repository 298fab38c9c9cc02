/**
 * Feed files to csv-corpus-worker.ts one at a time; on a timeout or a crash, kill the child,
 * record the outcome and carry on with a fresh child (and so a fresh DuckDB engine).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { CorpusOutcome } from './csv-corpus-types';

const here = path.dirname(new URL(import.meta.url).pathname);
const WORKER = path.join(here, 'csv-corpus-worker.ts');

export async function runCsvCorpus(root: string, files: string[], perFileMs: number): Promise<{ outcomes: CorpusOutcome[]; ms: number[] }> {
  const out: CorpusOutcome[] = [];
  const ms: number[] = [];
  let child: ChildProcess | null = null;
  let ready: Promise<void> | null = null;
  const start = () => {
    const c = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      cwd: path.resolve(here, '../..'),
    });
    c.stderr?.resume();
    ready = new Promise((resolve) => c.once('message', () => resolve()));
    return c;
  };
  for (const file of files) {
    if (!child) child = start();
    const c: ChildProcess = child;
    await ready;
    const t0 = performance.now();
    const outcome = await new Promise<CorpusOutcome>((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        c.kill('SIGKILL');
        resolve({ file, status: 'timeout', message: `no answer within ${perFileMs} ms` });
      }, perFileMs);
      const onMessage = (m: CorpusOutcome) => {
        cleanup();
        resolve(m);
      };
      const onExit = (code: number | null, sig: string | null) => {
        cleanup();
        resolve({ file, status: 'crash', message: `worker exited (code ${code}, signal ${sig})` });
      };
      const cleanup = () => {
        clearTimeout(timer);
        c.off('message', onMessage);
        c.off('exit', onExit);
      };
      c.on('message', onMessage);
      c.on('exit', onExit);
      c.send({ root, file });
    });
    out.push(outcome);
    ms.push(performance.now() - t0);
    if (outcome.status === 'crash' || outcome.status === 'timeout') {
      c.kill('SIGKILL');
      child = null;
    }
  }
  child?.kill('SIGKILL');
  return { outcomes: out, ms };
}
