import type { TierMap } from '../analysis/tiers';
import { ImportError } from './errors';
import { parseTierMap } from './tier-map';

/**
 * A dataset config (data/demo/config.json, written by scripts/make-demo-data) carries its tier
 * map keyed by type code: `{ "NOISE": { "tier": 1, "referral": false, "label": "…" } }`. This
 * turns it into a validated `TierMap` (through `parseTierMap`, so the same limits apply).
 */
export interface ConfigTierMapResult {
  map: TierMap;
  /** Codes whose referral flag was dropped: only Level 1 calls can be referred (tier-map.ts). */
  droppedReferrals: string[];
}

export function tierMapFromConfig(tierMap: unknown, file = 'config.json'): ConfigTierMapResult {
  if (typeof tierMap !== 'object' || tierMap === null || Array.isArray(tierMap)) {
    throw new ImportError(file, '"tierMap" must be an object keyed by call-type code.', 'Fix the dataset config or load a tier map file instead.');
  }
  const droppedReferrals: string[] = [];
  const rules = Object.entries(tierMap as Record<string, unknown>).map(([code, value]) => {
    const v = (typeof value === 'object' && value !== null ? value : {}) as { tier?: unknown; referral?: unknown };
    const rule: Record<string, unknown> = { typeCode: code, tier: v.tier };
    if (v.referral === true) {
      if (v.tier === 1) {
        rule.referral = true;
        // The code doubles as the referral category so each referable problem is listed on its own.
        rule.category = code.toLowerCase();
      } else droppedReferrals.push(code);
    }
    return rule;
  });
  return { map: parseTierMap({ version: 1, default: null, rules }, file), droppedReferrals };
}
