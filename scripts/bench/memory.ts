import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of one Chromium profile's processes, read from /proc (Linux). The tab's
 * renderer holds the page, DuckDB's worker and its wasm heap, so its RSS is what "the tab
 * uses"; the browser and GPU processes are reported apart.
 */
export interface MemorySample {
  rendererBytes: number;
  totalBytes: number;
}

function rssBytes(pid: string): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function sampleProfile(userDataDir: string): MemorySample {
  // Renderers are forked by the zygote and may not repeat --user-data-dir: walk the tree.
  const parent = new Map<string, string>();
  const cmdline = new Map<string, string>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!);
      cmdline.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      // the process ended while we looked
    }
  }
  const inProfile = (pid: string): boolean => {
    for (let p: string | undefined = pid, depth = 0; p && p !== '0' && depth < 8; p = parent.get(p), depth++) {
      if (cmdline.get(p)?.includes(userDataDir)) return true;
    }
    return false;
  };
  let rendererBytes = 0;
  let totalBytes = 0;
  for (const [pid, cmd] of cmdline) {
    if (!inProfile(pid)) continue;
    const rss = rssBytes(pid);
    totalBytes += rss;
    if (cmd.includes('--type=renderer')) rendererBytes += rss;
  }
  return { rendererBytes, totalBytes };
}

/** Peak of the samples taken every `everyMs` until `stop()`; `mark()` starts a new phase. */
export function memorySampler(userDataDir: string, everyMs = 250) {
  const peaks = new Map<string, MemorySample>();
  let phase = 'start';
  const take = () => {
    const s = sampleProfile(userDataDir);
    const p = peaks.get(phase) ?? { rendererBytes: 0, totalBytes: 0 };
    peaks.set(phase, { rendererBytes: Math.max(p.rendererBytes, s.rendererBytes), totalBytes: Math.max(p.totalBytes, s.totalBytes) });
  };
  const timer = setInterval(take, everyMs);
  return {
    mark(next: string) {
      take();
      phase = next;
      take();
    },
    stop(): Record<string, MemorySample> {
      take();
      clearInterval(timer);
      return Object.fromEntries(peaks);
    },
  };
}
