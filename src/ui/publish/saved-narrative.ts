import { loadPersisted, type PersistedKind, savePersisted, strictObject } from '../../state/persist';

/**
 * The briefing text the analyst wrote, per dataset (a Q3 narrative means nothing for another
 * city's file), in localStorage through persist.ts: validated on read against this allow-list,
 * size-capped, never throwing. A reload or a crash mid-import keeps what was typed.
 */
export interface BriefingText {
  title: string;
  summary: string;
  paragraphs: string[];
  notes: string;
}

export const DEFAULT_TITLE = 'Calls for service: quarterly briefing';

function bounded(v: unknown, where: string, max: number): string {
  if (typeof v !== 'string' || v.length > max) throw new Error(`${where} must be text of at most ${max.toLocaleString('en-US')} characters.`);
  return v;
}

export const BRIEFING_TEXT: PersistedKind<BriefingText> = {
  key: 'briefing-text',
  label: 'briefing text',
  version: 1,
  defaults: () => ({ title: DEFAULT_TITLE, summary: '', paragraphs: ['', '', ''], notes: '' }),
  parse: (data) => {
    const o = strictObject(data, ['title', 'summary', 'paragraphs', 'notes'], 'The briefing text');
    if (!Array.isArray(o.paragraphs) || o.paragraphs.length > 20) throw new Error('The briefing text must have at most 20 paragraphs.');
    return {
      title: bounded(o.title, 'The title', 200),
      summary: bounded(o.summary, 'The summary', 10_000),
      paragraphs: o.paragraphs.map((p, i) => bounded(p, `Paragraph ${i + 1}`, 10_000)),
      notes: bounded(o.notes, 'The notes', 10_000),
    };
  },
};

function kind(dataset: string): PersistedKind<BriefingText> {
  return { ...BRIEFING_TEXT, key: `${BRIEFING_TEXT.key}:${dataset.slice(0, 200)}`, label: `briefing text for ${dataset.slice(0, 80)}` };
}

export function loadBriefingText(dataset: string): { text: BriefingText; problem?: string } {
  const r = loadPersisted(kind(dataset));
  const text = { ...r.value, paragraphs: [...r.value.paragraphs] };
  // The dialog always offers three paragraph fields.
  while (text.paragraphs.length < 3) text.paragraphs.push('');
  return { text, ...(r.problem ? { problem: r.problem } : {}) };
}

/** Null when stored; otherwise the sentence saying why it was not (the text stays in the dialog). */
export function saveBriefingText(dataset: string, text: BriefingText): string | null {
  const r = savePersisted(kind(dataset), text);
  return r.ok ? null : r.problem;
}
