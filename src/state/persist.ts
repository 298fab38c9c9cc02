import type { TierMap } from '../analysis/tiers';
import { exportMapping, parsePreset } from '../data/presets';
import { parseTierMap, serializeTierMap } from '../data/tier-map';
import type { ColumnMapping } from '../data/types';
import { validTileStyleUrl } from './settings';

/**
 * Versioned localStorage persistence. Everything read back is untrusted: another tab, an old
 * version, an extension or a person with devtools may have written it. So each value goes
 * through its validator on read; anything corrupt, hostile, oversized or from an unknown
 * version is dropped with a sentence for the alert region, and the defaults are used. The
 * app never crashes on what it finds in storage, and a full or disabled storage only costs
 * persistence, never the session.
 *
 * Stored shape: `callsight.<key>` → `{"v": <schema version>, "data": <value>}`.
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PersistedKind<T> {
  key: string;
  /** what the analyst calls it, for messages ("saved column mappings") */
  label: string;
  version: number;
  defaults: () => T;
  /** validator: returns the trusted value or throws an Error saying what is wrong */
  parse: (data: unknown) => T;
  /** plain JSON form written to storage (default: the value itself) */
  toJson?: (value: T) => unknown;
  /** upgrade data written by an older schema version; absent: older data is dropped */
  migrate?: (data: unknown, fromVersion: number) => unknown;
  /** default 1 MB (UTF-8 bytes of the stored text) */
  maxBytes?: number;
}

export interface LoadResult<T> {
  value: T;
  source: 'stored' | 'migrated' | 'default';
  /** set when something stored was ignored: show it to the analyst */
  problem?: string;
}

export type SaveResult = { ok: true } | { ok: false; problem: string };

export const PREFIX = 'callsight.';
const DEFAULT_MAX_BYTES = 1 << 20;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function loadPersisted<T>(kind: PersistedKind<T>, storage: StorageLike | null = defaultStorage()): LoadResult<T> {
  const key = PREFIX + kind.key;
  const fallback = (problem?: string, drop = true): LoadResult<T> => {
    if (drop) safely(() => storage?.removeItem(key));
    return { value: kind.defaults(), source: 'default', ...(problem ? { problem: `Stored ${kind.label} could not be used: ${problem} Defaults are used instead.` } : {}) };
  };
  let raw: string | null;
  try {
    raw = storage ? storage.getItem(key) : null;
  } catch {
    return fallback('browser storage is blocked (private mode or site settings).', false);
  }
  if (raw === null) return fallback();
  const max = kind.maxBytes ?? DEFAULT_MAX_BYTES;
  if (raw.length > max || utf8Length(raw) > max) return fallback(`the stored text is larger than ${formatBytes(max)}.`);
  let envelope: unknown;
  try {
    envelope = JSON.parse(raw, (k, v) => {
      if (FORBIDDEN.has(k)) throw new ForbiddenKey(k);
      return v;
    });
  } catch (e) {
    return fallback(e instanceof ForbiddenKey ? `it contains the key "${e.key}", which is never written by Callsight.` : 'it is not valid JSON (damaged storage).');
  }
  if (!isPlainObject(envelope) || Object.keys(envelope).some((k) => k !== 'v' && k !== 'data') || !Number.isInteger(envelope.v)) {
    return fallback('it is not in the format Callsight writes.');
  }
  const v = envelope.v as number;
  // Newer data belongs to a newer Callsight in another tab: leave it there, untouched.
  if (v > kind.version) return fallback(`it was saved by a newer version of Callsight (format ${v}).`, false);
  let data = envelope.data;
  if (v < kind.version) {
    if (!kind.migrate) return fallback(`it uses an old format (${v}) that cannot be upgraded.`);
    try {
      data = kind.migrate(data, v);
    } catch (e) {
      return fallback(`upgrading it from format ${v} failed (${message(e)}).`);
    }
  }
  try {
    const value = kind.parse(data);
    return { value, source: v < kind.version ? 'migrated' : 'stored' };
  } catch (e) {
    return fallback(message(e));
  }
}

export function savePersisted<T>(kind: PersistedKind<T>, value: T, storage: StorageLike | null = defaultStorage()): SaveResult {
  const fail = (problem: string): SaveResult => ({ ok: false, problem: `Could not save the ${kind.label}: ${problem}` });
  if (!storage) return fail('this browser offers no storage; changes apply until the page is closed.');
  const data = kind.toJson ? kind.toJson(value) : value;
  try {
    // Never write what the next load would refuse.
    kind.parse(JSON.parse(JSON.stringify(data)));
  } catch (e) {
    return fail(message(e));
  }
  const text = JSON.stringify({ v: kind.version, data });
  const max = kind.maxBytes ?? DEFAULT_MAX_BYTES;
  if (utf8Length(text) > max) return fail(`it is larger than ${formatBytes(max)}; remove some entries.`);
  try {
    storage.setItem(PREFIX + kind.key, text);
    return { ok: true };
  } catch (e) {
    if (isQuotaError(e)) return fail('browser storage is full. Changes apply until the page is closed; delete old saved views to make room.');
    return fail('browser storage is blocked (private mode or site settings); changes apply until the page is closed.');
  }
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

function isQuotaError(e: unknown): boolean {
  if (!(e instanceof Error) && !(typeof e === 'object' && e !== null)) return false;
  const { name, code } = e as { name?: string; code?: number };
  // Chrome/Safari: QuotaExceededError (code 22); old Firefox: NS_ERROR_DOM_QUOTA_REACHED (1014).
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // storage went away between read and clean-up: nothing to do
  }
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(0)} MB` : `${Math.round(n / 1024)} kB`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Allow-listed object with a message naming the first unknown key. */
export function strictObject(v: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new Error(`${where} is not an object.`);
  const extra = Object.keys(v).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw new Error(`${where} has an unknown field "${extra.slice(0, 40)}".`);
  return v;
}

function boundedText(v: unknown, where: string, max: number): string {
  if (typeof v !== 'string' || v.length > max) throw new Error(`${where} must be text of at most ${max} characters.`);
  return v;
}

// ---- The kinds Callsight persists ----------------------------------------------------------

export interface PersistedSettings {
  tileStyleUrl: string | null;
  /** disclosure threshold for briefings (methods.md §9) */
  k: number;
  suppressZeros: boolean;
}

export const SETTINGS: PersistedKind<PersistedSettings> = {
  key: 'settings',
  label: 'settings',
  version: 2,
  defaults: () => ({ tileStyleUrl: null, k: 10, suppressZeros: false }),
  parse: (data) => {
    const o = strictObject(data, ['tileStyleUrl', 'k', 'suppressZeros'], 'The settings');
    const url = o.tileStyleUrl === null ? null : boundedText(o.tileStyleUrl, 'The tile style URL', 2000);
    if (url !== null && validTileStyleUrl(url) === null) throw new Error('The tile style URL is not an https address.');
    // Below 5 no published threshold applies (methods.md §9 cites 5, 6 and 10); above 100 nothing is left.
    if (!Number.isInteger(o.k) || (o.k as number) < 5 || (o.k as number) > 100) throw new Error('The suppression threshold k must be a whole number from 5 to 100.');
    if (typeof o.suppressZeros !== 'boolean') throw new Error('"Suppress zeros" must be true or false.');
    return { tileStyleUrl: url, k: o.k as number, suppressZeros: o.suppressZeros };
  },
  // Format 1 held only the tile URL (what src/state/settings.ts keeps); k and zeros came in 2.
  migrate: (data, from) => {
    if (from !== 1 || !isPlainObject(data)) throw new Error('unknown old format');
    return { tileStyleUrl: data.tileStyleUrl ?? null, k: 10, suppressZeros: false };
  },
};

export interface NamedMapping {
  name: string;
  mapping: ColumnMapping;
}

export const MAPPINGS: PersistedKind<NamedMapping[]> = {
  key: 'mappings',
  label: 'column mappings',
  version: 1,
  defaults: () => [],
  parse: (data) => {
    if (!Array.isArray(data) || data.length > 50) throw new Error('They must be a list of at most 50 mappings.');
    return data.map((entry, i) => {
      const o = strictObject(entry, ['name', 'mapping'], `Mapping ${i + 1}`);
      return { name: boundedText(o.name, `Mapping ${i + 1}'s name`, 120), mapping: parsePreset(o.mapping) };
    });
  },
  toJson: (list) => list.map((m) => ({ name: m.name, mapping: JSON.parse(exportMapping(m.mapping)) })),
};

export const TIER_MAP: PersistedKind<TierMap | null> = {
  key: 'tier-map',
  label: 'tier map',
  version: 1,
  defaults: () => null,
  parse: (data) => (data === null ? null : parseTierMap(data, 'Saved tier map')),
  toJson: (map) => (map === null ? null : JSON.parse(serializeTierMap(map))),
};

export interface Narrative {
  title: string;
  paragraphs: string[];
}

export const NARRATIVE: PersistedKind<Narrative> = {
  key: 'narrative',
  label: 'briefing text',
  version: 1,
  defaults: () => ({ title: '', paragraphs: [] }),
  parse: (data) => {
    const o = strictObject(data, ['title', 'paragraphs'], 'The briefing text');
    if (!Array.isArray(o.paragraphs) || o.paragraphs.length > 20) throw new Error('The briefing text must have at most 20 paragraphs.');
    return { title: boundedText(o.title, 'The title', 200), paragraphs: o.paragraphs.map((p, i) => boundedText(p, `Paragraph ${i + 1}`, 10_000)) };
  },
};

export type ViewParam = string | number | boolean | string[];

export interface SavedView {
  name: string;
  params: Record<string, ViewParam>;
}

/** Saved views; `allowedParams` is the URL-state allow-list, so a view can hold nothing else. */
export function savedViewsKind(allowedParams: readonly string[]): PersistedKind<SavedView[]> {
  return {
    key: 'views',
    label: 'saved views',
    version: 1,
    defaults: () => [],
    parse: (data) => {
      if (!Array.isArray(data) || data.length > 100) throw new Error('They must be a list of at most 100 views.');
      return data.map((entry, i) => {
        const o = strictObject(entry, ['name', 'params'], `View ${i + 1}`);
        const params = strictObject(o.params, allowedParams, `View ${i + 1}'s filters`);
        const out: Record<string, ViewParam> = Object.create(null);
        for (const [k, v] of Object.entries(params)) out[k] = viewParam(v, `View ${i + 1}'s filter "${k}"`);
        return { name: boundedText(o.name, `View ${i + 1}'s name`, 120), params: out };
      });
    },
  };
}

function viewParam(v: unknown, where: string): ViewParam {
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (typeof v === 'string') return boundedText(v, where, 500);
  if (Array.isArray(v) && v.length <= 1000) return v.map((x) => boundedText(x, where, 200));
  throw new Error(`${where} must be text, a number, true/false or a list of up to 1,000 texts.`);
}
