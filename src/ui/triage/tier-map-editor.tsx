import { useRef, useState } from 'react';
import type { TierSuggestion, TypeSummary } from '../../analysis/tier-suggest';
import { matchRule, type Tier, type TierMap, type TierRule } from '../../analysis/tiers';
import { parseTierMap, serializeTierMap } from '../../data/tier-map';
import { downloadText } from '../format';
import { SortableTable } from './sortable-table';

interface Row {
  code: string;
  text: string | null;
  calls: number;
  tier: Tier | null;
  referral: boolean;
  reason: string;
}

/** Per type code: tier 1/2/3 and referral. Edits become code rules placed before the map's own. */
export function TierMapEditor(props: {
  map: TierMap;
  source: string;
  types: TypeSummary[];
  suggestions?: TierSuggestion[];
  onChange: (map: TierMap, source: 'edited' | 'imported' | 'suggested', suggestions?: TierSuggestion[]) => void;
  onSuggest: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const reasons = new Map(props.suggestions?.map((s) => [s.code, s.reason]));
  const rows: Row[] = props.types.map((t) => {
    const rule = matchRule(props.map, { typeCode: t.code, typeText: t.text, priority: null });
    return {
      code: t.code,
      text: t.text,
      calls: Object.values(t.priorityCounts).reduce((s, n) => s + n, 0),
      tier: rule?.tier ?? props.map.default ?? null,
      referral: rule?.referral === true,
      reason: reasons.get(t.code) ?? (rule ? 'rule in the map' : 'default'),
    };
  });
  const setRule = (code: string, patch: Partial<TierRule>) => {
    const old = props.map.rules.find((r) => r.typeCode === code && r.typePattern === undefined && r.priority === undefined);
    const current = rows.find((r) => r.code === code)!;
    const next: TierRule = { ...(old ?? {}), typeCode: code, tier: current.tier ?? 2, ...patch };
    if (next.tier !== 1) delete next.referral;
    const rules = [next, ...props.map.rules.filter((r) => r !== old)];
    props.onChange({ ...props.map, rules }, 'edited');
  };
  return (
    <section className="panel-section" aria-labelledby="tier-map-heading">
      <h3 id="tier-map-heading">Tier map ({props.source})</h3>
      {props.source === 'suggested' ? <p className="note">Suggested from type texts and priorities: please review before relying on it.</p> : null}
      <div className="button-row">
        <button type="button" onClick={props.onSuggest}>
          Suggest tiers
        </button>
        <button type="button" onClick={() => downloadText('tier-map.json', serializeTierMap(props.map), 'application/json')}>
          Export JSON
        </button>
        <button type="button" onClick={() => file.current?.click()}>
          Import JSON
        </button>
        <input
          ref={file}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label="Tier map file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            try {
              props.onChange(parseTierMap(await f.text(), f.name), 'imported');
              setError(null);
            } catch (err) {
              setError((err as Error).message);
            }
          }}
        />
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <SortableTable<Row>
        caption="Call types with their tier and referral flag"
        rows={rows}
        columns={[
          { key: 'code', label: 'Code', value: (r) => r.code },
          { key: 'text', label: 'Type', value: (r) => r.text },
          { key: 'calls', label: 'Calls', value: (r) => r.calls, numeric: true },
          {
            key: 'tier',
            label: 'Tier',
            value: (r) => r.tier,
            render: (r) => (
              <select aria-label={`Tier for ${r.code}`} value={r.tier ?? ''} onChange={(e) => setRule(r.code, { tier: Number(e.target.value) as Tier })}>
                {r.tier === null ? <option value="">unknown</option> : null}
                <option value="1">1 minor</option>
                <option value="2">2 beat officer</option>
                <option value="3">3 rapid response</option>
              </select>
            ),
          },
          {
            key: 'referral',
            label: 'Referral',
            value: (r) => (r.referral ? 1 : 0),
            render: (r) => <input type="checkbox" aria-label={`Referral for ${r.code}`} checked={r.referral} disabled={r.tier !== 1} onChange={(e) => setRule(r.code, { referral: e.target.checked })} />,
          },
          { key: 'reason', label: 'Why', value: (r) => r.reason },
        ]}
      />
    </section>
  );
}
