import { type ReactNode, useId, useState } from 'react';

/**
 * Every chart has a table view (projector, screen reader, copy into an email): the same
 * numbers, toggled by one button whose state is announced.
 */
/** `table` is called only while the table view shows: a hidden table costs nothing per cross-filter step. */
export function ChartFrame({ title, note, chart, table, testId }: { title: string; note?: ReactNode; chart: ReactNode; table: () => ReactNode; testId: string }) {
  const [asTable, setAsTable] = useState(false);
  const id = useId();
  return (
    <section className="chart" aria-labelledby={id} data-testid={testId}>
      <div className="chart__head">
        <h3 id={id}>{title}</h3>
        <button type="button" className="button button--small" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
          {asTable ? 'Chart' : 'Table'}
        </button>
      </div>
      {note ? <p className="chart__note">{note}</p> : null}
      {asTable ? (
        // focusable so keyboard users can scroll it (WCAG 2.1.1, axe scrollable-region-focusable)
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus
        <section className="table-scroll chart__table" tabIndex={0} aria-label={`${title}, table`}>
          {table()}
        </section>
      ) : (
        chart
      )}
    </section>
  );
}
