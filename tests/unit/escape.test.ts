import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeHtml, safeHref } from '../../src/export/escape';

/** Decode the entities our escapers emit, independently of them. */
function decode(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

describe('escapeHtml / escapeAttr / safeHref', () => {
  it('escapes the markup characters of a hostile area name', () => {
    const name = `<img src=x onerror="alert('x')">&amp;`;
    expect(escapeHtml(name)).toBe('&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;');
    expect(escapeAttr('" onmouseover=alert(1) x="')).toBe('&#x22; onmouseover&#x3d;alert&#x28;1&#x29; x&#x3d;&#x22;');
    expect(escapeAttr('a\u0000b`c')).toBe('ab&#x60;c');
  });

  it('leaves no markup-significant character and decodes back to the input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), (a, b) => {
        for (const s of [a, b]) {
          const h = escapeHtml(s);
          expect(h).not.toMatch(/[<>"']/);
          expect(decode(h)).toBe(s);
          const at = escapeAttr(s);
          expect(at).not.toMatch(/[<>"'`=]/);
          // Only C0 controls other than tab/newline are dropped.
          expect(decode(at)).toBe([...s].filter((ch) => ch.codePointAt(0)! >= 0x20 || ch === '\t' || ch === '\n').join(''));
        }
      }),
      { numRuns: 500, seed: 2024 },
    );
  });

  it('allows only http(s) and mailto links', () => {
    expect(safeHref('https://data.nola.gov/x?a=1')).toBe('https://data.nola.gov/x?a=1');
    expect(safeHref(' mailto:analyst@city.gov ')).toBe('mailto:analyst@city.gov');
    for (const bad of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', '//evil.example/x', 'not a url', 'java\nscript:alert(1)']) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });
});
