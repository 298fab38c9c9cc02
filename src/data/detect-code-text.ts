import type { ColumnProfile } from './column-profile';

/**
 * Telling a call-type code column from its label column. Exports name them every which way
 * (`Type`/`TypeText`, `call_type_code`/`call_type`, `Nature`/`NatureDesc`), so a bare
 * `call_type` header says "type" but not which half of the pair it is. The values do: codes
 * are short tokens (`BURGR`, `21`, `103D`), labels are longer and often several words
 * (`BURGLARY REPORT`). Headers that name the role explicitly still win over contents.
 */

export type CodeTextRole = 'code' | 'text';

export interface CodeTextCandidate {
  p: ColumnProfile;
  /** how well the header matches the pair's name rules (0..1) */
  headerScore: number;
}

export interface CodeTextChoice {
  code: ColumnProfile;
  text: ColumnProfile;
  score: number;
  reason: string;
}

const CODE_SUFFIX = /(code|cd|abbr|abbrev|id|no|num|nbr)$/;
const TEXT_SUFFIX = /(text|txt|desc|description|name|label|title)$/;

/** The role a normalized header states outright, or null when it only says "type". */
export function headerRole(key: string): CodeTextRole | null {
  if (TEXT_SUFFIX.test(key)) return 'text';
  if (CODE_SUFFIX.test(key)) return 'code';
  return null;
}

// A label must be clearly longer (half again and 3+ characters) or clearly more often
// multi-word (30+ points) than the code; anything closer is left to the headers.
const LENGTH_RATIO = 1.5;
const LENGTH_GAP_CHARS = 3;
const SPACE_GAP = 0.3;

/** [code, text] when the values tell them apart, else null. */
export function byContents(a: ColumnProfile, b: ColumnProfile): [ColumnProfile, ColumnProfile] | null {
  if (a.nonEmpty.length === 0 || b.nonEmpty.length === 0) return null;
  const wordiness = (p: ColumnProfile) => p.meanLength + 8 * p.spaceRate;
  const [code, text] = wordiness(a) <= wordiness(b) ? [a, b] : [b, a];
  const longer = text.meanLength >= code.meanLength * LENGTH_RATIO && text.meanLength - code.meanLength >= LENGTH_GAP_CHARS;
  const wordier = text.spaceRate - code.spaceRate >= SPACE_GAP && text.meanLength >= code.meanLength;
  return longer || wordier ? [code, text] : null;
}

const describe = (p: ColumnProfile) => `mean ${p.meanLength.toFixed(1)} characters, ${Math.round(p.spaceRate * 100)}% with spaces`;

/**
 * Decide which of the two best-matching columns of a code/text pair is which. Null when
 * neither headers nor values tell them apart (the caller then falls back to header rules).
 */
export function chooseCodeText(a: CodeTextCandidate, b: CodeTextCandidate): CodeTextChoice | null {
  const ra = headerRole(a.p.key);
  const rb = headerRole(b.p.key);
  const headerScore = Math.min(a.headerScore, b.headerScore);
  if (ra && rb && ra !== rb) {
    const [code, text] = ra === 'code' ? [a.p, b.p] : [b.p, a.p];
    return { code, text, score: headerScore, reason: `Headers \`${code.name}\` and \`${text.name}\` name the code and the label.` };
  }
  const content = byContents(a.p, b.p);
  if (content) {
    const [code, text] = content;
    const contradicts = headerRole(code.key) === 'text' || headerRole(text.key) === 'code';
    if (!contradicts) {
      return {
        code,
        text,
        score: Math.min(0.9, headerScore),
        reason: `\`${text.name}\` holds longer, word-like values (${describe(text)}) than \`${code.name}\` (${describe(code)}): label and code.`,
      };
    }
  }
  if ((ra === null) !== (rb === null)) {
    const explicit = ra ? a.p : b.p;
    const other = ra ? b.p : a.p;
    const role = (ra ?? rb)!;
    const [code, text] = role === 'code' ? [explicit, other] : [other, explicit];
    return { code, text, score: Math.min(0.6, headerScore), reason: `Header \`${explicit.name}\` names the ${role === 'code' ? 'code' : 'label'}; \`${other.name}\` is taken as the ${role === 'code' ? 'label' : 'code'}.` };
  }
  return null;
}
