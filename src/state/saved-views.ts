import type { ClauseContext } from './clauses';
import { isLegacyQuery, legacyToQuery, parseViewState, serializeViewState, type ViewState } from './url';

/**
 * Named views in localStorage. Storage is as untrusted as a link (another tab, an old
 * version, a browser extension may have written it), so each entry is stored as the same
 * query string a link carries and re-read through the same allow-list parser.
 */
export interface SavedView {
  name: string;
  /** ISO time the view was saved. */
  savedAt: string;
  state: ViewState;
}

export const SAVED_VIEWS_KEY = 'callsight.views.v1';
/** Where the dashboard kept its views before it moved onto this module; read once, then copied here. */
export const LEGACY_SAVED_VIEWS_KEY = 'callsight.saved-views.v1';
export const SAVED_VIEW_LIMITS = { views: 50, nameChars: 80, storedChars: 500_000 } as const;

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

interface StoredEntry {
  name: string;
  savedAt: string;
  query: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function isEntry(v: unknown): v is StoredEntry {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  if (keys.length !== 3 || !['name', 'savedAt', 'query'].every((k) => keys.includes(k))) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.name === 'string' &&
    e.name.trim().length > 0 &&
    e.name.length <= SAVED_VIEW_LIMITS.nameChars &&
    typeof e.savedAt === 'string' &&
    ISO.test(e.savedAt) &&
    typeof e.query === 'string'
  );
}

function readEntries(storage: StorageLike, messages: string[]): StoredEntry[] {
  let raw: string | null;
  try {
    raw = storage.getItem(SAVED_VIEWS_KEY);
  } catch {
    messages.push('Saved views could not be read (browser storage is blocked); none are shown.');
    return [];
  }
  if (raw === null) return migrateLegacy(storage, messages);
  if (raw === '') return [];
  if (raw.length > SAVED_VIEW_LIMITS.storedChars) {
    messages.push('The saved views in this browser are larger than expected and were not loaded; save the views you need again.');
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    messages.push('The saved views in this browser are damaged (not valid JSON) and were not loaded.');
    return [];
  }
  if (!Array.isArray(parsed)) {
    messages.push('The saved views in this browser are not a list and were not loaded.');
    return [];
  }
  const entries = parsed.filter(isEntry);
  if (entries.length < parsed.length) messages.push(`${parsed.length - entries.length} saved view(s) had an unexpected shape and were skipped.`);
  if (entries.length > SAVED_VIEW_LIMITS.views) messages.push(`Only the first ${SAVED_VIEW_LIMITS.views} saved views are shown.`);
  return entries.slice(0, SAVED_VIEW_LIMITS.views);
}

/**
 * Views saved under the old key (entries {name, query, savedAt} with old-format queries) are
 * converted and written under the new key, so they appear once and survive the next save. The
 * old key is left alone: an older tab still open can keep reading it.
 */
function migrateLegacy(storage: StorageLike, messages: string[]): StoredEntry[] {
  let raw: string | null;
  try {
    raw = storage.getItem(LEGACY_SAVED_VIEWS_KEY);
  } catch {
    return [];
  }
  if (raw === null || raw === '' || raw.length > SAVED_VIEW_LIMITS.storedChars) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    messages.push('The views saved by an older version are damaged (not valid JSON) and were not loaded.');
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const entries = parsed
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))
    .map((v) => ({ name: typeof v.name === 'string' ? v.name.trim() : '', savedAt: v.savedAt, query: typeof v.query === 'string' ? v.query : null }))
    .map((v) => ({ name: v.name, savedAt: v.savedAt, query: v.query !== null && isLegacyQuery(v.query) ? legacyToQuery(v.query).query : v.query }))
    .filter(isEntry)
    .slice(0, SAVED_VIEW_LIMITS.views);
  if (entries.length < parsed.length) messages.push(`${parsed.length - entries.length} view(s) saved by an older version could not be read and were skipped.`);
  try {
    storage.setItem(SAVED_VIEWS_KEY, JSON.stringify(entries));
  } catch {
    // still shown this time; the copy is retried on the next read
  }
  return entries;
}

export function listSavedViews(storage: StorageLike = localStorage, ctx: ClauseContext = {}): { views: SavedView[]; messages: string[] } {
  const messages: string[] = [];
  const views = readEntries(storage, messages).map((e) => {
    const { state, messages: m } = parseViewState(e.query, ctx);
    for (const line of m) messages.push(`Saved view “${e.name}”: ${line}`);
    return { name: e.name, savedAt: e.savedAt, state };
  });
  return { views, messages };
}

function write(storage: StorageLike, entries: StoredEntry[]): void {
  try {
    storage.setItem(SAVED_VIEWS_KEY, JSON.stringify(entries));
  } catch {
    throw new Error('The view could not be saved: browser storage is full or blocked. Delete an old saved view or copy the link instead.');
  }
}

/** Save (or overwrite by name) a view; returns the saved entry. Throws a readable Error on a bad name or full storage. */
export function saveView(name: string, state: ViewState, storage: StorageLike = localStorage, now: Date = new Date()): SavedView {
  const clean = name.trim();
  if (clean.length === 0) throw new RangeError('Give the view a name.');
  if (clean.length > SAVED_VIEW_LIMITS.nameChars) throw new RangeError(`View names are at most ${SAVED_VIEW_LIMITS.nameChars} characters.`);
  const entries = readEntries(storage, []).filter((e) => e.name !== clean);
  if (entries.length >= SAVED_VIEW_LIMITS.views) throw new RangeError(`At most ${SAVED_VIEW_LIMITS.views} views can be saved; delete one first.`);
  const entry = { name: clean, savedAt: now.toISOString(), query: serializeViewState(state) };
  write(storage, [...entries, entry]);
  return { name: entry.name, savedAt: entry.savedAt, state: parseViewState(entry.query).state };
}

export function deleteView(name: string, storage: StorageLike = localStorage): void {
  write(
    storage,
    readEntries(storage, []).filter((e) => e.name !== name),
  );
}
