import type { Tier, TierMap, TierRule } from '../analysis/tiers';
import { ImportError } from './errors';

/**
 * Tier maps arrive as JSON (presets, files the lieutenant saves and shares, URL state), so
 * they are parsed at the edge into a trusted `TierMap`: allow-listed keys only, bounded
 * sizes, and patterns that compile in both engines that run them (JS here, RE2 in DuckDB).
 */
export const TIER_MAP_LIMITS = { rules: 2000, stringLength: 200 } as const;

const RULE_KEYS = new Set(['typeCode', 'typePattern', 'priority', 'tier', 'referral', 'category']);
const TOP_KEYS = new Set(['version', 'rules', 'default']);
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// RE2 (DuckDB's regex engine) has no lookaround and no backreferences; refuse them up front
// so a map never means one thing in the preview and another in SQL.
const RE2_UNSUPPORTED = /\(\?<?[=!]|\\[1-9]|\\k</;

const NEXT = 'Fix the tier map file (or reload the preset) and try again.';

export function parseTierMap(json: unknown, file = 'tier map'): TierMap {
  const fail = (problem: string): never => {
    throw new ImportError(file, problem, NEXT);
  };
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      fail(`is not valid JSON (${(e as Error).message}).`);
    }
  }
  if (!isPlainObject(json)) return fail('must be a JSON object with "version" and "rules".');
  checkKeys(json, TOP_KEYS, 'the top level', fail);
  if (json.version !== 1) fail(`has version ${JSON.stringify(json.version)}; only version 1 is supported.`);
  if (!Array.isArray(json.rules)) return fail('needs "rules" as a list.');
  if (json.rules.length > TIER_MAP_LIMITS.rules) fail(`has ${json.rules.length} rules; at most ${TIER_MAP_LIMITS.rules} are allowed.`);
  const rules = json.rules.map((raw, i) => parseRule(raw, i + 1, fail));
  let fallback: Tier | null = null;
  if (json.default !== undefined && json.default !== null) {
    if (!isTier(json.default)) fail(`has "default" ${JSON.stringify(json.default)}; use 1, 2, 3 or null.`);
    fallback = json.default as Tier;
  }
  return { version: 1, rules, default: fallback };
}

function parseRule(raw: unknown, n: number, fail: (p: string) => never): TierRule {
  const where = `rule ${n}`;
  if (!isPlainObject(raw)) return fail(`${where} is not an object.`);
  checkKeys(raw, RULE_KEYS, where, fail);
  if (!isTier(raw.tier)) fail(`${where} has tier ${JSON.stringify(raw.tier)}; use 1, 2 or 3.`);
  const rule: TierRule = { tier: raw.tier as Tier };
  for (const key of ['typeCode', 'typePattern', 'priority', 'category'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') fail(`${where} has ${key} ${JSON.stringify(v)}; it must be non-empty text.`);
    const s = v as string;
    if (s.length > TIER_MAP_LIMITS.stringLength) fail(`${where} has a ${key} of ${s.length} characters; at most ${TIER_MAP_LIMITS.stringLength}.`);
    rule[key] = s;
  }
  if (rule.typePattern !== undefined) checkPattern(rule.typePattern, where, fail);
  if (rule.typeCode === undefined && rule.typePattern === undefined && rule.priority === undefined) {
    fail(`${where} has no condition (typeCode, typePattern or priority); use "default" for calls no rule matches.`);
  }
  if (raw.referral !== undefined) {
    if (typeof raw.referral !== 'boolean') fail(`${where} has referral ${JSON.stringify(raw.referral)}; use true or false.`);
    if (raw.referral === true) {
      if (rule.tier !== 1) fail(`${where} is marked referral but is Level ${rule.tier}; only Level 1 calls can be referred.`);
      rule.referral = true;
    }
  }
  return rule;
}

function checkPattern(pattern: string, where: string, fail: (p: string) => never): void {
  if (RE2_UNSUPPORTED.test(pattern)) fail(`${where} typePattern uses lookaround or a backreference, which the database cannot run.`);
  try {
    new RegExp(pattern, 'i');
  } catch (e) {
    fail(`${where} typePattern is not a valid regular expression (${(e as Error).message}).`);
  }
}

function checkKeys(obj: Record<string, unknown>, allowed: Set<string>, where: string, fail: (p: string) => never): void {
  for (const key of Object.keys(obj)) {
    if (FORBIDDEN_KEYS.has(key)) fail(`${where} contains the key "${key}", which is not allowed.`);
    if (!allowed.has(key)) fail(`${where} has an unknown key "${key.slice(0, 40)}"; allowed: ${[...allowed].join(', ')}.`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const isTier = (v: unknown): v is Tier => v === 1 || v === 2 || v === 3;

/** Stable JSON (fixed key order, one rule per line) so saved maps diff cleanly. */
export function serializeTierMap(map: TierMap): string {
  const order = ['typeCode', 'typePattern', 'priority', 'tier', 'referral', 'category'] as const;
  const lines = map.rules.map((r) => {
    const o: Record<string, unknown> = {};
    for (const key of order) if (r[key] !== undefined) o[key] = r[key];
    return `    ${JSON.stringify(o)}`;
  });
  return `{\n  "version": 1,\n  "default": ${JSON.stringify(map.default ?? null)},\n  "rules": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
