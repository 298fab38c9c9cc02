import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import { useEffect, useRef } from 'react';
import type { RecurrenceSummary } from '../../analysis/recurrence';

/** Share recurred within d days, one line per tier; the table beside it carries the numbers. */
export function RecurrenceChart(props: { series: RecurrenceSummary[] }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = select(ref.current!);
    svg.selectAll('*').remove();
    const width = 320;
    const height = 160;
    const m = { top: 8, right: 40, bottom: 24, left: 36 };
    const x = scaleLinear().domain([0, 90]).range([m.left, width - m.right]);
    const maxRate = Math.max(0.05, ...props.series.flatMap((s) => s.curve.map((c) => (Number.isFinite(c.recurrenceRate) ? c.recurrenceRate : 0))));
    const y = scaleLinear().domain([0, maxRate]).nice().range([height - m.bottom, m.top]);
    svg.append('g').attr('transform', `translate(0,${height - m.bottom})`).call(axisBottom(x).ticks(4).tickFormat((d) => `${d} d`));
    svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(y).ticks(4).tickFormat((d) => `${Math.round(100 * Number(d))}%`));
    const colours = ['#0072B2', '#E69F00', '#D55E00', '#555555'];
    props.series.forEach((s, i) => {
      const pts = s.curve.filter((c) => c.judged > 0);
      svg
        .append('path')
        .datum(pts)
        .attr('fill', 'none')
        .attr('stroke', colours[i % colours.length]!)
        .attr('stroke-width', 2)
        .attr('d', line<(typeof pts)[number]>().x((c) => x(c.days)).y((c) => y(c.recurrenceRate)));
      const last = pts[pts.length - 1];
      if (last) svg.append('text').attr('x', x(last.days) + 3).attr('y', y(last.recurrenceRate)).attr('font-size', 10).attr('dy', '0.3em').text(s.key === 'null' || s.key === null ? 'unknown' : `L${s.key}`);
    });
  }, [props.series]);
  return <svg ref={ref} width={320} height={160} role="img" aria-label="Recurrence within 0 to 90 days by tier; numbers in the table below" />;
}
