import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { monthKey } from '../data/archive-manifest';
import { DEFAULT_BUDGET_BYTES, defaultRange, type MonthRange, monthLabel, monthsIn, orderedRange, rangeCost, rangeLabel } from '../data/archive-range';
import { listedFromInput, loadArchiveRange, openArchiveListing, showArchiveDialog, useArchive } from '../state/archive-import';
import { useSession } from '../state/session-store';
import { formatBytes, formatCount } from './format';

const BUDGETS = [2e9, 3e9, 4e9];
const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;

/**
 * The months of an opened archive with their calls and sizes; the analyst picks a range (by
 * default the latest months that fit the memory budget) and only those files are read.
 * Mounted once by the app; opens itself when a folder is chosen or dropped.
 */
export function ArchiveDialog() {
  const { folder, dialogOpen, loaded } = useArchive();
  if (!folder || !dialogOpen) return null;
  // On <body>, not inside the header it is mounted from: the header's colours must not leak in.
  return createPortal(<ArchiveRangeForm key={folder.name + (loaded ? `${loaded.range.from}${loaded.range.to}` : '')} />, document.body);
}

function ArchiveRangeForm() {
  const { folder, loaded } = useArchive();
  const session = useSession();
  const manifest = folder!.manifest;
  const ref = useRef<HTMLDialogElement>(null);
  // A re-load keeps the current calls until the new range is in: they count against the budget.
  const keptRows = session.report ? session.report.rows.loaded : 0;
  const [budget, setBudget] = useState(DEFAULT_BUDGET_BYTES);
  const [range, setRange] = useState<MonthRange>(() => loaded?.range ?? defaultRange(manifest, DEFAULT_BUDGET_BYTES, keptRows));
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const cost = useMemo(() => rangeCost(monthsIn(manifest, range), keptRows), [manifest, range, keptRows]);
  const over = cost.peakBytes > budget;
  const keys = manifest.partitions.map(monthKey);
  const close = () => showArchiveDialog(false);

  return (
    <dialog ref={ref} className="mapping-dialog" aria-labelledby="archive-title" onCancel={close} data-testid="archive-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void loadArchiveRange(range);
        }}
      >
        <header className="mapping-dialog__head">
          <h2 id="archive-title">Load a date range from {folder!.name}</h2>
          <p className="muted">
            {formatCount(manifest.rows)} calls in {manifest.partitions.length} months
            {manifest.span ? ` (${manifest.span.start} to ${manifest.span.end})` : ''}
            {manifest.sources.length ? `, prepared from ${manifest.sources.slice(0, 3).join(', ')}${manifest.sources.length > 3 ? ` and ${manifest.sources.length - 3} more` : ''}` : ''}
            {manifest.createdAt ? ` on ${manifest.createdAt.slice(0, 10)}` : ''}. Only the months you choose are read from the folder.
          </p>
          {manifest.droppedRows ? (
            <p className="mapping-dialog__problems">{formatCount(manifest.droppedRows)} rows of the source had no readable received time and are in no month.</p>
          ) : null}
        </header>
        <div className="mapping-dialog__body">
          <fieldset className="location-editor">
            <legend>Date range</legend>
            <MonthSelect id="archive-from" label="From" value={range.from} keys={keys} onChange={(v) => setRange(orderedRange(v, range.to, 'from'))} />
            <MonthSelect id="archive-to" label="To" value={range.to} keys={keys} onChange={(v) => setRange(orderedRange(range.from, v, 'to'))} />
            <label htmlFor="archive-budget" className="inline-field">
              Memory budget
              <select
                id="archive-budget"
                value={budget}
                onChange={(e) => {
                  const b = Number(e.target.value);
                  setBudget(b);
                  setRange(defaultRange(manifest, b, keptRows));
                }}
              >
                {BUDGETS.map((b) => (
                  <option key={b} value={b}>
                    {gb(b)}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          <p role="status" className={over ? 'field-error' : 'muted'} data-testid="archive-estimate">
            {rangeLabel(range)}: {cost.months} {cost.months === 1 ? 'month' : 'months'}, {formatCount(cost.rows)} calls
            {cost.bytes === null ? '' : `, ${formatBytes(cost.bytes)} of Parquet`}. Estimated tab memory while loading: {gb(cost.peakBytes)}
            {keptRows ? ` (including the ${formatCount(keptRows)} calls loaded now, kept until the new range is in)` : ''}
            {over ? ` — over the ${gb(budget)} budget: the tab may run out of memory; choose fewer months.` : ` — within the ${gb(budget)} budget.`}
          </p>
          <table className="mapping-table" data-testid="archive-months">
            <caption className="visually-hidden">Months in the archive</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">In range</th>
              </tr>
            </thead>
            <tbody>
              {[...manifest.partitions].reverse().map((p) => {
                const k = monthKey(p);
                const inRange = k >= range.from && k <= range.to;
                return (
                  <tr key={k} data-month={k} className={inRange ? 'archive-month--in' : undefined}>
                    <th scope="row">{monthLabel(k)}</th>
                    <td className="num">{formatCount(p.rows)}</td>
                    <td className="num">{p.bytes === null ? '—' : formatBytes(p.bytes)}</td>
                    <td>{inRange ? 'yes' : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <footer className="mapping-dialog__foot">
          <span className="spacer" />
          <button type="button" className="button button--quiet" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button--primary">
            {over ? 'Load anyway' : `Load ${cost.months} ${cost.months === 1 ? 'month' : 'months'}`}
          </button>
        </footer>
      </form>
    </dialog>
  );
}

function MonthSelect({ id, label, value, keys, onChange }: { id: string; label: string; value: string; keys: string[]; onChange: (v: string) => void }) {
  return (
    <label htmlFor={id} className="inline-field">
      {label}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {keys.map((k) => (
          <option key={k} value={k}>
            {monthLabel(k)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "Change range…" beside the import button while an archive is open. */
export function ArchiveRangeButton({ disabled }: { disabled?: boolean }) {
  const { folder } = useArchive();
  const shown = useSession().report?.archive;
  if (!folder) return null;
  // Labelled from the dataset on screen: after an ordinary file replaced the range, it offers the archive again.
  const current = shown?.name === folder.name ? shown : null;
  return (
    <button type="button" className="button button--quiet" disabled={disabled} onClick={() => showArchiveDialog(true)} data-testid="archive-range-button">
      {current ? `Range: ${rangeLabel(current)}…` : `Load from ${folder.name}…`}
    </button>
  );
}

/**
 * Opens a prepared archive folder (the --out folder of `npm run prepare-archive`). A folder
 * input lists every file with its relative path without reading any of them.
 */
export function OpenArchiveButton({ disabled }: { disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button button--quiet" disabled={disabled} onClick={() => input.current?.click()}>
        Open archive folder…
      </button>
      <input
        ref={(el) => {
          input.current = el;
          // Not in React's attribute types; the DOM property is what Chromium and Firefox read.
          if (el) el.webkitdirectory = true;
        }}
        type="file"
        hidden
        data-testid="folder-input"
        aria-label="Choose a prepared archive folder"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length) void openArchiveListing(listedFromInput(files));
        }}
      />
    </>
  );
}
