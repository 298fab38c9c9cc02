import type { RejectedRow } from '../data/types';
import { formatCount } from './format';

/** A browser table of 100k rejects would freeze the panel; the CSV download has them all. */
const SHOWN_ROWS = 200;

export function RejectsTable({ rejected }: { rejected: RejectedRow[] }) {
  if (rejected.length === 0) return <p className="muted">No rows were rejected.</p>;
  const reasons = new Map<string, number>();
  for (const r of rejected) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  return (
    <>
      <ul className="reason-list" aria-label="Reasons for rejection">
        {[...reasons.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([reason, n]) => (
            <li key={reason}>
              <span className="num">{formatCount(n)}</span> {reason}
            </li>
          ))}
      </ul>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable so keyboard users can scroll it (WCAG 2.1.1) */}
      <section className="table-scroll" tabIndex={0} aria-label="Rejected rows">
        <table className="rejects">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {rejected.slice(0, SHOWN_ROWS).map((r) => (
              <tr key={`${r.file}:${r.line}:${r.reason}`}>
                <td>{r.file}</td>
                <td className="num">{formatCount(r.line)}</td>
                <td title={r.raw}>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {rejected.length > SHOWN_ROWS ? (
        <p className="muted">
          Showing {SHOWN_ROWS} of {formatCount(rejected.length)}; the CSV has all of them.
        </p>
      ) : null}
    </>
  );
}
