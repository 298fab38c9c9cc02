import { BRIEFING_CSS } from '../briefing-assets/css';
import { BRIEFING_JS } from '../briefing-assets/script';
import { renderPage } from './render-page';
import type { BriefingModel } from './types';

/**
 * model → the folder's files, as bytes by relative path. Pure (no DOM, no file system), so the
 * app zips the same bytes the CLI writes. Relative paths only: the folder works from any static
 * host, under any sub-path, and straight from disk.
 */
export type BriefingFiles = Record<string, Uint8Array>;

export function renderBriefing(model: BriefingModel): BriefingFiles {
  const enc = new TextEncoder();
  const { map, ...data } = model;
  // The aggregates as a script that sets a global: file:// pages cannot fetch() JSON.
  const json = JSON.stringify({ ...data, map: { cellMeters: map.cellMeters, cellKm2: map.cellKm2 } });
  return {
    'index.html': enc.encode(renderPage(model)),
    'data.js': enc.encode(`window.CALLSIGHT_BRIEFING = ${json};\n`),
    'assets/briefing.css': enc.encode(BRIEFING_CSS),
    'assets/briefing.js': enc.encode(BRIEFING_JS),
  };
}

export function totalBytes(files: BriefingFiles): number {
  return Object.values(files).reduce((a, b) => a + b.byteLength, 0);
}
