/**
 * Initial JavaScript of the production build: the entry chunk and everything it imports
 * statically (what the browser must fetch before first paint), gzip-compressed. Dynamic
 * imports (duckdb-wasm's JS, its worker and wasm) are lazy and left out, as the target says.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { REPO_ROOT } from './cache';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export interface BundleSize {
  initialJsGzipBytes: number;
  initialJsBytes: number;
  initialCssGzipBytes: number;
  chunks: { file: string; bytes: number; gzipBytes: number }[];
  buildMs: number;
  /** set when kept for a production-build start measurement; the caller removes it */
  outDir?: string;
}

export async function measureBundle(o: { keep?: boolean } = {}): Promise<BundleSize> {
  const outDir = path.join(tmpdir(), `callsight-bench-dist-${process.pid}`);
  const t = performance.now();
  try {
    await build({ root: REPO_ROOT, configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true, manifest: 'manifest.json' } });
    const buildMs = performance.now() - t;
    const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const seen = new Set<string>();
    const css = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const c of manifest[key]?.css ?? []) css.add(c);
      for (const i of manifest[key]?.imports ?? []) visit(i);
    };
    for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
    const size = (file: string) => {
      const bytes = readFileSync(path.join(outDir, file));
      return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    };
    const chunks = [...seen].map((k) => size(manifest[k]!.file)).filter((c) => c.file.endsWith('.js'));
    const cssSizes = [...css].map(size);
    return {
      initialJsGzipBytes: chunks.reduce((n, c) => n + c.gzipBytes, 0),
      initialJsBytes: chunks.reduce((n, c) => n + c.bytes, 0),
      initialCssGzipBytes: cssSizes.reduce((n, c) => n + c.gzipBytes, 0),
      chunks,
      buildMs,
      ...(o.keep ? { outDir } : {}),
    };
  } finally {
    if (!o.keep) rmSync(outDir, { recursive: true, force: true });
  }
}
