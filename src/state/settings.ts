import { useSyncExternalStore } from 'react';

/**
 * Per-browser settings. The tile style is opt-in: with it set, map tiles come from that
 * server (the only thing that ever leaves the machine), so it is off by default and must
 * be an https URL the analyst typed in.
 */
export interface Settings {
  tileStyleUrl: string | null;
}

const KEY = 'callsight.settings.v1';
const listeners = new Set<() => void>();
let current: Settings = read();

function read(): Settings {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Settings>) : {};
    return { tileStyleUrl: validTileStyleUrl(parsed.tileStyleUrl ?? '') };
  } catch {
    return { tileStyleUrl: null };
  }
}

/** Returns the URL when usable, null for empty/invalid (validated at the edge). */
export function validTileStyleUrl(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1' ? url.href : null;
  } catch {
    return null;
  }
}

export function saveSettings(next: Settings): void {
  current = next;
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // private mode / storage full: the setting still applies for this session
  }
  for (const l of listeners) l();
}

export function useSettings(): Settings {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
