import './publish.css';
import { useEffect, useRef, useState } from 'react';
import { type BriefingModel, buildBriefingModel, customPeriods, renderBriefing, totalBytes } from '../../export/briefing';
import { DEFAULT_SENSITIVE_CATEGORIES } from '../../export/sensitive-types';
import { getDb } from '../../state/db';
import { useSession } from '../../state/session-store';
import { loadTypes, type TierMapSource, resolveTierMap } from '../triage/use-tier-map';
import { loadBriefingText, saveBriefingText } from './saved-narrative';
import { zipBriefing } from './zip-briefing';

/**
 * "Publish briefing" (journey 3): title, three paragraphs, period, k, the sensitive list with the
 * counts it removes, a preview of the headline numbers and what was hidden, then a .zip of the
 * static folder. The model and files are the same ones the CLI writes.
 */
export function PublishDialog({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const ref = useRef<HTMLDialogElement>(null);
  const dataset = session.datasetName ?? 'calls';
  // What was typed for this dataset before (a reload or a crash loses nothing).
  const [stored] = useState(() => loadBriefingText(dataset));
  const [title, setTitle] = useState(stored.text.title);
  const [summary, setSummary] = useState(stored.text.summary);
  const [paras, setParas] = useState(stored.text.paragraphs);
  const [notes, setNotes] = useState(stored.text.notes);
  const [storageProblem, setStorageProblem] = useState<string | null>(stored.problem ?? null);
  useEffect(() => {
    const problem = saveBriefingText(dataset, { title, summary, paragraphs: paras, notes });
    if (problem) setStorageProblem(problem);
  }, [dataset, title, summary, paras, notes]);
  const [custom, setCustom] = useState(false);
  const [ranges, setRanges] = useState({ cs: '', ce: '', ps: '', pe: '' });
  const [k, setK] = useState(10);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [model, setModel] = useState<BriefingModel | null>(null);
  useEffect(() => ref.current?.showModal(), []);

  const [tierSource, setTierSource] = useState<TierMapSource | null>(null);

  // The same resolution as the Triage tab: the analyst's edited or saved map first, so the
  // briefing's tiers match what was reviewed; a suggestion only when nothing else exists.
  async function tierMap() {
    const db = await getDb();
    const r = await resolveTierMap(dataset, session.report?.files[0]?.columns ?? [], () => loadTypes(db));
    setTierSource(r.source);
    return r.map;
  }

  async function preview(): Promise<BriefingModel | null> {
    if (!session.report) return null;
    setBusy(true);
    setError(null);
    try {
      const m = await buildBriefingModel(await getDb(), {
        narrative: { title, summary, paragraphs: paras.filter((p) => p.trim()), notes },
        areas: session.areaFeatures ?? [],
        tierMap: await tierMap(),
        quality: session.report,
        categories: DEFAULT_SENSITIVE_CATEGORIES,
        place: session.datasetName ?? '',
        rotation: 'auto',
        k,
        ...(custom ? { periods: customPeriods({ start: ranges.cs, end: ranges.ce }, { start: ranges.ps, end: ranges.pe }) } : {}),
      });
      setModel(m);
      return m;
    } catch (e) {
      setError((e as Error).message);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    const m = model ?? (await preview());
    if (!m) return;
    const folder = `briefing-${m.current.start}`;
    const zip = zipBriefing(renderBriefing(m), folder);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([zip.slice().buffer], { type: 'application/zip' }));
    a.download = `${folder}.zip`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  const stale = () => setModel(null);
  // Any edit invalidates the preview: what is downloaded is always what was last checked.
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      stale();
    };
  const field = (label: string, value: string, set: (v: string) => void, rows = 0) =>
    rows ? (
      <label className="field" key={label}>
        <span>{label}</span>
        <textarea rows={rows} value={value} onChange={(e) => edit(set)(e.target.value)} />
      </label>
    ) : (
      <label className="field" key={label}>
        <span>{label}</span>
        <input value={value} onChange={(e) => edit(set)(e.target.value)} />
      </label>
    );
  return (
    <dialog ref={ref} className="settings-dialog publish-dialog" aria-labelledby="publish-title" onCancel={onClose}>
      <form method="dialog" onSubmit={(e) => e.preventDefault()}>
        <h2 id="publish-title">Publish council briefing</h2>
        <div className="publish-body">
        {field('Title', title, setTitle)}
        {field('Summary', summary, setSummary, 3)}
        {paras.map((p, i) => field(`Paragraph ${i + 1}`, p, (v) => setParas(paras.map((x, j) => (j === i ? v : x))), 3))}
        {field('Notes', notes, setNotes, 2)}
        <fieldset>
          <legend>Period</legend>
          <label><input type="radio" checked={!custom} onChange={() => edit(setCustom)(false)} /> Last complete quarter vs the one before (or the longest run of whole weeks the data hold)</label>
          <label><input type="radio" checked={custom} onChange={() => edit(setCustom)(true)} /> Two date ranges (end dates exclusive)</label>
          {custom ? (
            <div className="ranges">
              {(['cs', 'ce', 'ps', 'pe'] as const).map((key) => (
                <label key={key}>
                  {{ cs: 'This period from', ce: 'to', ps: 'Previous from', pe: 'to' }[key]} <input type="date" value={ranges[key]} onChange={(e) => edit(setRanges)({ ...ranges, [key]: e.target.value })} />
                </label>
              ))}
            </div>
          ) : null}
        </fieldset>
        <label className="field">
          <span>Hide counts below k =</span>
          <input type="number" min={2} max={1000} value={k} onChange={(e) => edit(setK)(Number(e.target.value))} />
        </label>
        <fieldset>
          <legend>Sensitive call types (removed; shown only as citywide monthly totals)</legend>
          <ul>
            {DEFAULT_SENSITIVE_CATEGORIES.map((c) => {
              const removed = model?.sensitive.categories.find((x) => x.id === c.id)?.removed;
              return (
                <li key={c.id}>
                  {c.label}
                  {model ? `: ${removed === null ? 'hidden (small count)' : `${removed?.toLocaleString()} calls removed`}` : ''}
                </li>
              );
            })}
          </ul>
        </fieldset>
        {model ? (
          <section aria-live="polite" className="publish-preview">
            <h3>Preview</h3>
            <p>
              {model.current.label} vs {model.previous.label}: {model.headline[0]?.current?.toLocaleString() ?? 'hidden'} calls (previous {model.headline[0]?.previous?.toLocaleString() ?? 'hidden'}).
            </p>
            <p>Tiers: {tierSource ? TIER_SOURCE_TEXT[tierSource] : 'unknown'}.</p>
            <p>
              {model.disclosure.primary} small counts and {model.disclosure.secondary} protecting counts hidden; audit passed on {model.disclosure.auditedCells.toLocaleString()} numbers. {model.hotspots.hot} hot-spot squares of {model.hotspots.cellMeters} m. Folder size {Math.round(totalBytes(renderBriefing(model)) / 1024)} kB.
            </p>
          </section>
        ) : null}
        {storageProblem ? (
          <p className="muted small" role="status">
            {storageProblem}
          </p>
        ) : null}
        {error ? <p role="alert">{error}</p> : null}
        </div>
        <footer className="dialog-foot">
          <button type="button" className="button" onClick={() => void preview()} disabled={busy || !session.report}>
            {busy ? 'Checking…' : 'Preview'}
          </button>
          <button type="button" className="button button--primary" onClick={() => void download()} disabled={busy || !session.report}>
            Download .zip
          </button>
          <button type="button" className="button button--quiet" onClick={onClose}>
            Close
          </button>
        </footer>
      </form>
    </dialog>
  );
}

const TIER_SOURCE_TEXT: Record<TierMapSource, string> = {
  saved: 'your saved tier map (Triage tab)',
  edited: 'your edited tier map (Triage tab)',
  imported: 'your imported tier map (Triage tab)',
  preset: 'the department preset',
  dataset: "the dataset's own tier map",
  suggested: 'suggested from priorities (review them in the Triage tab first)',
};

/** The header button; mounted with one line in app-header.tsx. */
export function PublishBriefingButton() {
  const session = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--quiet" onClick={() => setOpen(true)} disabled={!session.report}>
        Publish briefing
      </button>
      {open ? <PublishDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
