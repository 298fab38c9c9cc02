import { useEffect, useState } from 'react';
import { suggestionsToTierMap, suggestTiers, type TierSuggestion, type TypeSummary } from '../../analysis/tier-suggest';
import type { TierMap } from '../../analysis/tiers';
import type { Db } from '../../data/db-types';
import { matchPreset } from '../../data/presets';
import nopdTiers from '../../data/presets/tiers-nopd.json';
import { typeCatalog } from '../../data/queries/tiers';
import { toRows } from '../../data/rows';
import { parseTierMap } from '../../data/tier-map';
import { tierMapFromConfig } from '../../data/tier-map-config';
import { demoFiles } from '../../state/boot';
import { loadSavedTierMap } from './saved-tier-map';

export type TierMapSource = 'saved' | 'preset' | 'dataset' | 'suggested' | 'edited' | 'imported';

/** Type codes present in the calls with their counts and text, for the editor and `suggestTiers`. */
export async function loadTypes(db: Db): Promise<TypeSummary[]> {
  const byCode = new Map<string, TypeSummary>();
  for (const r of toRows(await db.query(typeCatalog()))) {
    const code = String(r.code);
    const t = byCode.get(code) ?? { code, text: r.text === null ? null : String(r.text), priorityCounts: {} };
    const p = String(r.priority ?? '');
    t.priorityCounts[p || '(none)'] = (t.priorityCounts[p || '(none)'] ?? 0) + Number(r.n);
    byCode.set(code, t);
  }
  return [...byCode.values()];
}

export function suggest(types: readonly TypeSummary[]): { map: TierMap; suggestions: TierSuggestion[] } {
  const suggestions = suggestTiers(types.map((t) => ({ ...t, priorityCounts: Object.fromEntries(Object.entries(t.priorityCounts).filter(([p]) => p !== '(none)')) })));
  return { map: suggestionsToTierMap(suggestions), suggestions };
}

export interface ResolvedTierMap {
  map: TierMap;
  source: TierMapSource;
  suggestions?: TierSuggestion[];
  /** storage held a map that could not be used: say so once */
  problem?: string;
}

/**
 * Saved map (this session's edit, else storage) → preset for the file's columns → the dataset's
 * own config (the demo) → suggested. The Triage tab and the Publish dialog both start here, so a
 * briefing is tiered the way the analyst last saw it.
 */
export async function resolveTierMap(dataset: string, columns: readonly string[], types: () => Promise<readonly TypeSummary[]>): Promise<ResolvedTierMap> {
  const saved = loadSavedTierMap(dataset);
  const problem = saved.problem ? { problem: saved.problem } : {};
  if (saved.map) return { map: saved.map, source: 'saved' };
  if (matchPreset(columns)?.name === 'nopd') return { map: parseTierMap(nopdTiers, 'tiers-nopd.json'), source: 'preset', ...problem };
  const configUrl = demoFiles()['config.json'];
  if (configUrl) {
    const config = await (await fetch(configUrl)).json();
    if (config?.name === dataset && config.tierMap) return { map: tierMapFromConfig(config.tierMap).map, source: 'dataset', ...problem };
  }
  return { ...suggest(await types()), source: 'suggested', ...problem };
}

export function useInitialTierMap(db: Db | null, dataset: string, columns: readonly string[], types: TypeSummary[] | null) {
  const [state, setState] = useState<ResolvedTierMap | null>(null);
  useEffect(() => {
    if (!db || !types) return;
    let cancelled = false;
    resolveTierMap(dataset, columns, async () => types).then((s) => {
      if (!cancelled) setState(s);
    });
    return () => {
      cancelled = true;
    };
  }, [db, dataset, columns, types]);
  return [state, setState] as const;
}
