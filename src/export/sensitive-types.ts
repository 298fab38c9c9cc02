/**
 * Call types whose location or even small counts can identify a victim (methods.md §9: SFPD
 * and NNEDV practice). They are removed from location-level output and published only as
 * citywide totals, themselves subject to k.
 *
 * Matching is by whole words with an optional trailing `*` for a prefix (`SEX*` matches SEXUAL
 * but not SUSSEX), never by user-supplied regular expressions: the list is configurable, and a
 * pattern typed into settings must not be able to hang the page (ReDoS).
 */
export interface SensitiveCategory {
  id: string;
  label: string;
  /** words or phrases, case- and accent-insensitive; `*` at the end of a word = prefix */
  terms: readonly string[];
  /** agency codes (exact, case-insensitive), e.g. NOPD `21J` */
  codes: readonly string[];
}

export const DEFAULT_SENSITIVE_CATEGORIES: readonly SensitiveCategory[] = [
  {
    id: 'sexual',
    label: 'Sexual offences',
    terms: ['RAPE*', 'SEX*', 'SODOMY', 'INDECENT*', 'LEWD*', 'MOLEST*', 'OBSCEN*', 'EXPOSING', 'CARNAL*', 'VOYEUR*'],
    codes: [],
  },
  {
    id: 'domestic',
    label: 'Domestic violence and disturbance',
    terms: ['DOMESTIC*', 'DV', 'FAMILY DISTURBANCE', 'FAMILY FIGHT', 'PROTECTION ORDER', 'PROTECTIVE ORDER', 'RESTRAINING ORDER', 'INTIMATE PARTNER', 'DATING VIOLENCE'],
    codes: [],
  },
  {
    id: 'child-abuse',
    label: 'Child abuse and neglect',
    terms: ['CHILD ABUSE', 'CHILD NEGLECT', 'CHILD ENDANGER*', 'CRUELTY TO JUVENILE*', 'CRUELTY TO A JUVENILE*', 'CRUELTY TO CHILD*', 'CRUELTY TO A CHILD*'],
    codes: [],
  },
  { id: 'juvenile', label: 'Juveniles', terms: ['JUVENILE*', 'JUV', 'RUNAWAY*', 'TRUAN*'], codes: [] },
  {
    id: 'mental-health',
    label: 'Mental health, welfare checks and suicide',
    terms: ['MENTAL*', 'EMOTIONALLY DISTURBED', 'EDP', 'SUICID*', 'WELFARE CHECK', 'CHECK WELFARE', 'WELFARE', 'CRISIS', 'PSYCH*', 'MHSD'],
    codes: [],
  },
  { id: 'missing-person', label: 'Missing persons', terms: ['MISSING'], codes: [] },
];

export interface CallTypeText {
  code?: string | null;
  text?: string | null;
  /** the type the call was received as; a call reclassified away from "domestic" still is one */
  initialText?: string | null;
}

export type SensitiveMatcher = (call: CallTypeText) => string[];

/** Upper-case words, accents stripped, punctuation as separators. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9*]+/)
    .filter(Boolean);
}

export function sensitiveMatcher(categories: readonly SensitiveCategory[] = DEFAULT_SENSITIVE_CATEGORIES): SensitiveMatcher {
  const compiled = categories.map((c) => ({
    id: c.id,
    terms: c.terms.map(words).filter((t) => t.length > 0),
    codes: new Set(c.codes.map((x) => x.trim().toUpperCase())),
  }));
  return (call) => {
    const texts = [call.text, call.initialText].filter((t): t is string => !!t).map((t) => words(t.replaceAll('*', ' ')));
    const code = call.code?.trim().toUpperCase();
    return compiled.filter((c) => (code !== undefined && c.codes.has(code)) || texts.some((w) => c.terms.some((t) => containsPhrase(w, t)))).map((c) => c.id);
  };
}

function containsPhrase(text: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= text.length; i++) {
    for (let j = 0; j < phrase.length; j++) {
      const p = phrase[j]!;
      const w = text[i + j]!;
      if (p.endsWith('*') ? !w.startsWith(p.slice(0, -1)) : w !== p) continue outer;
    }
    return true;
  }
  return false;
}

const LIMITS = { categories: 50, terms: 200, codes: 500, length: 80 } as const;
const CATEGORY_KEYS = new Set(['id', 'label', 'terms', 'codes']);

/**
 * The analyst's edited list (settings, shared JSON), parsed at the edge: allow-listed keys,
 * bounded sizes, plain text only. Throws an Error whose message says what to fix.
 */
export function parseSensitiveCategories(json: unknown): SensitiveCategory[] {
  const fail = (p: string): never => {
    throw new Error(`Sensitive call types: ${p} Reset the list to the defaults or fix the entry.`);
  };
  if (!Array.isArray(json)) return fail('the list must be a JSON array of categories.');
  if (json.length > LIMITS.categories) fail(`${json.length} categories; at most ${LIMITS.categories}.`);
  const ids = new Set<string>();
  return json.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype) return fail(`entry ${i + 1} is not an object.`);
    const o = raw as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => !CATEGORY_KEYS.has(k));
    if (extra !== undefined) fail(`entry ${i + 1} has an unknown key "${extra.slice(0, 40)}".`);
    const text = (v: unknown, what: string) => {
      if (typeof v !== 'string' || v.trim() === '' || v.length > LIMITS.length || hasControl(v)) {
        fail(`entry ${i + 1} has an invalid ${what} (text of 1–${LIMITS.length} characters, no control characters).`);
      }
      return (v as string).trim();
    };
    const list = (v: unknown, what: string, max: number) => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.length > max) return fail(`entry ${i + 1}: ${what} must be a list of up to ${max} texts.`);
      return v.map((x) => text(x, `${what} value`));
    };
    const id = text(o.id, 'id');
    if (ids.has(id)) fail(`the id "${id}" is used twice.`);
    ids.add(id);
    const category = { id, label: text(o.label, 'label'), terms: list(o.terms, 'terms', LIMITS.terms), codes: list(o.codes, 'codes', LIMITS.codes) };
    if (category.terms.length + category.codes.length === 0) fail(`entry ${i + 1} ("${id}") has no terms and no codes, so it would match nothing.`);
    return category;
  });
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}
