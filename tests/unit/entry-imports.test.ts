import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What the browser must download before the first paint is src/main.tsx and everything it
 * imports statically. maplibre-gl, deck.gl and the feature panels load later (React.lazy,
 * import()); one static import in a module of the shell would silently put them back into the
 * entry chunk (issue #8: 930 kB gzipped before the split). This walks the same static graph the
 * bundler does, from the source, in a few milliseconds instead of a production build.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

/** Static imports and re-exports of one module; type-only ones vanish at build time. */
function staticImports(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm)) {
    if (m[2]) continue;
    const braces = /^\{([\s\S]*)\}$/.exec(m[3]!.trim());
    if (braces && braces[1]!.split(',').every((s) => !s.trim() || s.trim().startsWith('type '))) continue;
    out.push(m[4]!);
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec.split('?')[0]!);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

/** module (repo-relative) → its static package imports, for every module reachable from main.tsx */
function entryGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [path.join(SRC, 'main.tsx')];
  while (queue.length) {
    const file = queue.shift()!;
    const key = path.relative(SRC, file);
    if (graph.has(key)) continue;
    const packages: string[] = [];
    graph.set(key, packages);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const next = resolveLocal(file, spec);
        if (next) queue.push(next);
      } else {
        packages.push(spec);
      }
    }
  }
  return graph;
}

/** Loaded on demand, never before the shell paints. */
const LAZY_PACKAGES = [/^maplibre-gl/, /^@deck\.gl\//, /^@luma\.gl\//, /^fflate/];
const LAZY_MODULES = ['map/map-view-gl.tsx', 'ui/triage/index.ts', 'ui/triage/triage-panel.tsx', 'ui/planner/index.ts', 'ui/publish/publish-dialog.tsx', 'data/db-browser.ts'];

describe('initial JavaScript (entry chunk) holds the shell only', () => {
  const graph = entryGraph();

  it('reads the graph the way the bundler does (sanity)', () => {
    expect(staticImports("import type { A } from 'x';\nimport { type B } from 'y';\nimport { C, type D } from 'z';\nexport { E } from './e';\nimport './f.css';\nconst g = import('g');")).toEqual(['z', './e', './f.css']);
    for (const m of ['ui/app.tsx', 'map/map-view.tsx', 'map/layers/calls-layer.ts', 'state/boot.ts']) expect(graph.has(m), m).toBe(true);
  });

  // (maplibre-gl.css stays static on purpose: see map/map-view.tsx)
  it('imports maplibre-gl, deck.gl and the briefing zip only lazily', () => {
    const offenders = [...graph].flatMap(([m, pkgs]) => pkgs.filter((p) => !p.endsWith('.css') && LAZY_PACKAGES.some((r) => r.test(p))).map((p) => `${m} imports ${p}`));
    // a new map layer: take classes from map/layers/deck-classes.ts (see the comment there), import deck.gl types only
    expect(offenders).toEqual([]);
  });

  it('keeps the map, the Triage and Plan tabs, the briefing writer and DuckDB out of the entry graph', () => {
    expect(LAZY_MODULES.filter((m) => graph.has(m))).toEqual([]);
  });
});
