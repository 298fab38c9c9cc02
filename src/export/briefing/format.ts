import { escapeHtml } from '../escape';
import type { Value } from './types';

/** Number formatting for the page: grouped thousands, hidden values say so in words. */
export const HIDDEN = 'hidden';

export function num(v: Value): string {
  if (v === null) return HIDDEN;
  return Math.round(v).toLocaleString('en-US');
}

export function signed(v: Value, suffix = ''): string {
  if (v === null) return '–';
  const s = Number.isInteger(v) ? Math.abs(v).toLocaleString('en-US') : Math.abs(v).toFixed(1);
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${s}${suffix}`;
}

/** A table cell holding a value: hidden values get a class the stylesheet and print mark. */
export function valueCell(v: Value): string {
  return v === null ? `<td class="hidden-value">${HIDDEN}</td>` : `<td>${num(v)}</td>`;
}

export const esc = escapeHtml;
