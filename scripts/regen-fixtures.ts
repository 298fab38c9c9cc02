/**
 * Regenerates the golden fixtures of the statistics (architecture.md "Golden fixtures"):
 *   1. writes the seeded inputs tests/fixtures/<fn>/in/*.json (this file and scripts/fixtures/*),
 *   2. runs every reference script in scripts/reference/ (R spdep, base R, SciPy, …), which
 *      read those inputs and write tests/fixtures/<fn>/out/*.json.
 * Run: npm run regen-fixtures (needs Rscript with spdep + jsonlite, /usr/bin/python3 with scipy).
 * CI never runs this; the outputs are committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emergingInputs } from './fixtures/emerging-inputs';
import { fdrInputs, giStarInputs, mannKendallInputs } from './fixtures/gi-inputs';
import { knoxInputs } from './fixtures/knox-inputs';
import { nolaInputs } from './fixtures/nola-inputs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function writeInputs(fn: string, inputs: { name: string }[]): void {
  const dir = path.join(root, 'tests/fixtures', fn, 'in');
  mkdirSync(dir, { recursive: true });
  for (const input of inputs) writeFileSync(path.join(dir, `${input.name}.json`), `${JSON.stringify(input)}\n`);
  console.log(`${fn}: ${inputs.length} inputs`);
}

const nola = await nolaInputs();
writeInputs('gi-star', [...giStarInputs(), ...nola.giStar]);
writeInputs('fdr', fdrInputs());
writeInputs('mann-kendall', mannKendallInputs());
writeInputs('emerging', [...emergingInputs(), ...nola.emerging]);
writeInputs('knox', [...knoxInputs(), ...nola.knox]);

const refDir = path.join(root, 'scripts/reference');
for (const file of readdirSync(refDir).sort()) {
  const [cmd, label] = file.endsWith('.R') ? ['Rscript', 'R'] : file.endsWith('.py') ? ['/usr/bin/python3', 'Python'] : [null, null];
  if (!cmd) continue;
  console.log(`${label}: ${file}`);
  execFileSync(cmd, [path.join(refDir, file)], { cwd: root, stdio: 'inherit' });
}
