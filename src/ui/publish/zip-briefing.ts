import { zipSync } from 'fflate';
import type { BriefingFiles } from '../../export/briefing';

/** The folder as one .zip under a top-level directory, so unzipping gives a folder to upload. */
export function zipBriefing(files: BriefingFiles, folder: string): Uint8Array {
  const safe = folder.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'briefing';
  return zipSync(Object.fromEntries(Object.entries(files).map(([p, bytes]) => [`${safe}/${p}`, bytes])), { level: 6 });
}
