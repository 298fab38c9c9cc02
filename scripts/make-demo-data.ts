/**
 * Writes the synthetic demo city into data/demo/ (or --out DIR), deterministically from
 * --seed. Usage: npm run make-demo-data [-- --seed 20260629 --out data/demo]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { demoFiles } from './demo/files';
import { DEFAULT_SEED } from './demo/generate';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    out: { type: 'string', default: path.resolve(here, '../data/demo') },
    quiet: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0) {
  console.error(`--seed must be a non-negative whole number, got "${values.seed}".`);
  process.exit(2);
}
const started = performance.now();
const cpuStarted = process.cpuUsage();
const { files } = demoFiles(seed);
for (const [name, bytes] of Object.entries(files)) {
  const target = path.join(values.out, name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  if (!values.quiet) {
    const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    console.log(`${name.padEnd(20)} ${String(bytes.length).padStart(9)} B  sha256 ${sha}`);
  }
}
// CPU time is reported too: on a shared machine wall time mostly measures the neighbours.
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = ((cpu.user + cpu.system) / 1e6).toFixed(1);
const wallSeconds = ((performance.now() - started) / 1000).toFixed(1);
if (!values.quiet) console.log(`Demo city (SYNTHETIC), seed ${seed}: ${Object.keys(files).length} files in ${values.out} (wall ${wallSeconds} s, cpu ${cpuSeconds} s)`);
