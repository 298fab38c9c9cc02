import { memo, useEffect, useRef } from 'react';
import { create as createBars, type TierKey, type TypeCount, toTable } from '../../charts/type-bars';
import { ChartFrame } from './chart-frame';
import { TableView } from './table-view';

const TITLE = 'Call types';

interface Props {
  data: TypeCount[];
  /** type codes in the types clause (null = calls without a type) */
  selected: (string | null)[];
  /** a confirmed tier map exists: bars sit under one heading per tier */
  groupByTier: boolean;
  onSelect: (codes: (string | null)[]) => void;
  /** the tier in the tiers clause the bars made (one tier heading pressed), or null */
  selectedTier: TierKey | null;
  /** a tier heading was pressed: that tier, or null when it was pressed again */
  onSelectTier: (tier: TierKey | null) => void;
}

/**
 * Call types from the shared d3 module (src/charts/type-bars): click, Enter or Space filters by
 * type code; grouped by tier, a tier heading filters to that tier's calls instead.
 */
// memo: a step that leaves this chart's data and selection as they were does not redraw it
export const TypeBars = memo(function TypeBars(props: Props) {
  const { data, groupByTier } = props;
  const codes = new Set(data.map((d) => d.type_code)).size;
  return (
    <ChartFrame
      title={TITLE}
      testId="chart-types"
      note={`${codes} type${codes === 1 ? '' : 's'}${groupByTier ? ', grouped by tier (Triage tab)' : ''}. Click a type, or use the arrow keys and Enter, to filter; Escape clears.${groupByTier ? " Click a tier heading (or Tab to it and press Enter) to show only that tier's calls." : ''}`}
      chart={<BarsChart {...props} />}
      table={() => <TableView spec={toTable(data, TITLE)} />}
    />
  );
});

// Its own component so the chart is rebuilt when the frame switches back from the table view.
function BarsChart({ data, selected, groupByTier, onSelect, selectedTier, onSelectTier }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof createBars> | null>(null);
  const latest = useRef(onSelect);
  latest.current = onSelect;
  const latestTier = useRef(onSelectTier);
  latestTier.current = onSelectTier;
  useEffect(() => {
    if (!host.current) return;
    chart.current = createBars(host.current, { title: TITLE, width: 372, maxBars: 12, groupByTier, onSelect: (codes) => latest.current(codes), onSelectTier: (tier) => latestTier.current(tier) });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [groupByTier]);
  // groupByTier rebuilds the chart above; the new one needs the data too
  // biome-ignore lint/correctness/useExhaustiveDependencies: groupByTier is the rebuild signal
  useEffect(() => {
    chart.current?.update(data);
    chart.current?.setSelected(selected);
    chart.current?.setSelectedTier(selectedTier);
  }, [data, selected, selectedTier, groupByTier]);
  return <div ref={host} className="type-bars-chart" />;
}
