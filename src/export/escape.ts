/**
 * Escaping for the few places that must build HTML as text (the standalone briefing file).
 * Inside the app, text reaches the page through React or textContent only; these helpers are
 * for generated documents, where every interpolation of data must pass through one of them.
 */
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Element text. Quotes are escaped too, so the same output is safe in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * A value for a double-quoted attribute. Backticks and = are encoded as well: old IE parsed
 * backticks as quotes, and encoding every non-alphanumeric ASCII is OWASP's attribute rule.
 * NUL and other C0 controls are dropped (they are never meaningful in an attribute).
 */
export function escapeAttr(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 && ch !== '\t' && ch !== '\n') continue;
    out += /[A-Za-z0-9 ,.\-_:;/]/.test(ch) || code > 0x7f ? ch : `&#x${code.toString(16)};`;
  }
  return out;
}

/**
 * A link target for a generated document: http(s) and mailto only, anything else (javascript:,
 * data:, vbscript:, protocol-relative tricks) becomes null so the caller prints plain text.
 */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  try {
    const u = new URL(trimmed);
    return u.protocol === 'https:' || u.protocol === 'http:' || u.protocol === 'mailto:' ? u.href : null;
  } catch {
    return null;
  }
}
