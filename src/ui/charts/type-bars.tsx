import type { TypeCount } from '../../data/queries/dashboard';
import { formatCount } from '../format';
import { ChartFrame } from './chart-frame';

interface Props {
  data: TypeCount[];
  selected: string[];
  onToggle: (type: string) => void;
  /** how many bars before "n more" (the table lists all) */
  limit?: number;
}

/** Call types as toggle buttons with bars; text from the data is rendered as text, never markup. */
export function TypeBars({ data, selected, onToggle, limit = 12 }: Props) {
  const max = Math.max(1, ...data.map((d) => d.n));
  const shown = data.slice(0, limit);
  // keep a selected type visible even when it is not in the top bars
  for (const s of selected) if (!shown.some((d) => d.type === s)) shown.push(data.find((d) => d.type === s) ?? { type: s, n: 0 });
  const chart = (
    <ul className="type-bars">
      {shown.map((d) => {
        const on = selected.includes(d.type);
        return (
          <li key={d.type}>
            <button type="button" className={`type-bar${on ? ' type-bar--on' : ''}`} aria-pressed={on} onClick={() => onToggle(d.type)} data-type={d.type}>
              <span className="type-bar__fill" style={{ width: `${(100 * d.n) / max}%` }} aria-hidden="true" />
              <span className="type-bar__label">{d.type}</span>
              <span className="type-bar__n">{formatCount(d.n)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
  const table = (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">Call type</th>
          <th scope="col" className="num">
            Calls
          </th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.type}>
            <td>{d.type}</td>
            <td className="num">{formatCount(d.n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const more = data.length - Math.min(limit, data.length);
  return (
    <ChartFrame
      title="Call types"
      testId="chart-types"
      note={`Click a type to filter${more > 0 ? `; ${more} more in the table view` : ''}.`}
      chart={chart}
      table={table}
    />
  );
}
