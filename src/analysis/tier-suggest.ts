import type { Tier, TierMap, TierRule } from './tiers';

/**
 * First-draft tier map from the call types present in a dataset, for the lieutenant to
 * confirm (journey 4). The type text decides; the priority mix is only a hint, because a
 * priority describes urgency at the moment of the call, not the kind of problem.
 *
 * NOPD priorities (data dictionary): 3 = officer needs assistance, 2 = emergency,
 * 1 = non-emergency, 0 = no police presence needed; a letter refines within a level
 * (A highest). Other agencies use other scales: pass `priorityTier` to change the hint.
 */
export interface TypeSummary {
  code: string;
  text: string | null;
  /** priority value → number of calls (e.g. { "2D": 40, "1A": 3 }) */
  priorityCounts: Record<string, number>;
}

export interface TierSuggestion {
  code: string;
  text: string | null;
  tier: Tier;
  referral: boolean;
  category?: string;
  /** Why: the keyword or priority that decided, in words an analyst can check. */
  reason: string;
  /** keyword = the text matched a rule; priority = only the priority hint decided. */
  basis: 'keyword' | 'priority' | 'none';
  calls: number;
}

interface KeywordRule {
  pattern: RegExp;
  tier: Tier;
  category?: string;
}

const k = (source: string, tier: Tier, category?: string): KeywordRule => ({ pattern: new RegExp(source, 'i'), tier, category });

/**
 * Ordered: threat words first, so "ARMED ROBBERY" is 3 before "ROBBERY" could be anything
 * else, and "MENTAL PERSON: NON VIOLENT" is a referral before "PERSON" means anything.
 */
export const DEFAULT_KEYWORDS: readonly KeywordRule[] = [
  k('non[- ]?violent|welfare check|referral to mhsd', 1, 'mental-health'),
  k('\\b(shoot|shots?|shooting|firearm|gun|armed|weapon|homicide|murder|carjack|rape|kidnap|abduct|stabb|cutting|home invasion|explosive|hold ?up)', 3, 'violence'),
  k('\\b(officer needs assistance|life in danger|assault in progress|robbery|aggravated|suicide attempt|sexual assault|sexual battery)', 3, 'violence'),
  k('loiter', 1, 'loitering'),
  k('homeless|encampment', 1, 'homelessness'),
  k('noise|loud music|fireworks', 1, 'noise'),
  k('abandoned (vehicle|property|building)|\\babveh', 1, 'abandoned-property'),
  k('\\b(suspicious|trespass|prowler|disturbance|fight|burglar|theft|stolen|battery|assault|domestic|threat|damage|accident|hit & run|drug|mental|emotionally|missing|disorderly|alarm|pursuit|reckless|dwi|under influence)', 2),
  k('\\b(parking|welfare|complaint|information|additional info|quality of life|lost property|area check|business check|directed patrol|public service|tow|disabled|stranded|recovery)', 1),
];

export const DEFAULT_REFERRAL_CATEGORIES: readonly string[] = ['loitering', 'homelessness', 'noise', 'abandoned-property', 'mental-health'];

/** NOPD-style hint from the leading digit of the dominant priority. */
export function nopdPriorityTier(priority: string): Tier | null {
  const level = priority.trim().charAt(0);
  if (level === '3' || level === '2') return 3;
  if (level === '1') return 2;
  if (level === '0') return 1;
  return null;
}

export interface SuggestOptions {
  keywords?: readonly KeywordRule[];
  referralCategories?: readonly string[];
  priorityTier?: (priority: string) => Tier | null;
  /** Tier when neither text nor priority says anything (default 2: a beat officer looks). */
  fallbackTier?: Tier;
}

export function suggestTiers(types: readonly TypeSummary[], options: SuggestOptions = {}): TierSuggestion[] {
  const keywords = options.keywords ?? DEFAULT_KEYWORDS;
  const referral = new Set(options.referralCategories ?? DEFAULT_REFERRAL_CATEGORIES);
  const hint = options.priorityTier ?? nopdPriorityTier;
  return types.map((t) => {
    const calls = Object.values(t.priorityCounts).reduce((s, n) => s + n, 0);
    const dominant = Object.entries(t.priorityCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    const hinted = dominant ? hint(dominant[0]) : null;
    const priorityNote = dominant ? `most calls priority ${dominant[0]} (${dominant[1]} of ${calls})` : 'no priority recorded';
    const rule = keywords.find((r) => r.pattern.test(t.text ?? ''));
    if (rule) {
      const word = (t.text ?? '').match(rule.pattern)?.[0] ?? '';
      const disagree = hinted !== null && hinted !== rule.tier ? `; priority suggests Level ${hinted}, check` : '';
      return {
        code: t.code,
        text: t.text,
        tier: rule.tier,
        referral: rule.tier === 1 && rule.category !== undefined && referral.has(rule.category),
        ...(rule.category ? { category: rule.category } : {}),
        reason: `type text contains "${word.toLowerCase()}" → Level ${rule.tier}; ${priorityNote}${disagree}`,
        basis: 'keyword',
        calls,
      };
    }
    const tier = hinted ?? options.fallbackTier ?? 2;
    return {
      code: t.code,
      text: t.text,
      tier,
      referral: false,
      reason: hinted !== null ? `no keyword; ${priorityNote} → Level ${tier}` : `no keyword and ${priorityNote} → Level ${tier} (fallback)`,
      basis: hinted !== null ? 'priority' : 'none',
      calls,
    };
  });
}

/** Turn reviewed suggestions into a tier map keyed by type code. */
export function suggestionsToTierMap(suggestions: readonly TierSuggestion[], fallback: Tier | null = null): TierMap {
  const rules: TierRule[] = suggestions.map((s) => ({
    typeCode: s.code,
    tier: s.tier,
    ...(s.referral ? { referral: true } : {}),
    ...(s.category ? { category: s.category } : {}),
  }));
  return { version: 1, rules, default: fallback };
}
