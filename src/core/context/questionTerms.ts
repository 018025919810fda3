// Reduces a natural-language question about the codebase to what can be looked up in the index:
// identifiers as written (`computeTotal`, `compute_total`, `Cart.total`), file names and paths
// (`cart.ts`, `src/cart`), and lowercased, stemmed words (the identifiers' sub-words too), with
// English stop words and question filler left out. Pure, so ranking tests can pin it down.
//
// The stemmer is deliberately crude (plurals, -ed, -ing, a final e): it only has to make "computed",
// "computes" and `computeTotal`'s "compute" meet, and it runs the same over names and questions.

import { languageForPath } from './languages/registry';

export interface QuestionIdentifier {
  /** As written: `computeTotal`, `compute_total`, `total` (from `Cart.total`). */
  text: string;
  /** The qualifier written before it, if any: `Cart` in `Cart.total` or `Cart::total`. */
  container?: string;
}

export interface QuestionWord {
  /** Lowercased, as written (for display). */
  word: string;
  /** What is compared (stem()). */
  stem: string;
}

export interface QuestionTerms {
  /** Mentioned file names and paths, forward slashes, no leading `./`: `cart.ts`, `src/cart`. */
  paths: string[];
  identifiers: QuestionIdentifier[];
  /** Distinct by stem, in question order. */
  words: QuestionWord[];
}

/**
 * English function words plus what questions about code say around the thing they ask about
 * ("where is X defined", "how does Y work"): none of it names code.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing done down during each else few for from further had has have having he her here hers ' +
    'him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ' +
    'ours out over own same she should so some such than that the their theirs them then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with would you your ' +
    'yours ' +
    // question filler
    'codebase code defined define definition definitions implemented implement implementation located locate live ' +
    'lives explain show tell find please happen happens work works mean means purpose role responsible handle handled ' +
    'get gets actually exactly happening somewhere anywhere thing things stuff way ok okay hi hello thanks'
  ).split(' '),
);

/** Lowercase crude stem; see the header. Words of 3 letters or fewer stay as they are. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/**
 * The words inside an identifier, lowercased: camelCase, PascalCase, snake_case, kebab-case and
 * acronyms split (`HTTPServer` -> http, server); digits and single letters dropped.
 */
export function subWords(identifier: string): string[] {
  const out: string[] = [];
  for (const part of identifier.split(/[^\p{L}\p{N}]+/u)) {
    for (const m of part.matchAll(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lo}+/gu)) {
      const w = m[0].toLowerCase();
      if (w.length >= 2) out.push(w);
    }
  }
  return out;
}

/** Distinct stems of an identifier's sub-words, stop words left out. */
export function nameStems(identifier: string): string[] {
  const stems = new Set<string>();
  for (const w of subWords(identifier)) if (!STOP_WORDS.has(w)) stems.add(stem(w));
  return [...stems];
}

/** An identifier as code writes it, optionally qualified with `.`, `::`, `#`, `->` or `\`. */
const QUALIFIED = /^[\p{L}_$][\p{L}\p{N}_$]*(?:(?:\.|::|#|->|\\)[\p{L}_$][\p{L}\p{N}_$]*)*$/u;
const SEPARATORS = /\.|::|#|->|\\/;

export function questionTerms(question: string): QuestionTerms {
  const paths: string[] = [];
  const identifiers: QuestionIdentifier[] = [];
  const words: QuestionWord[] = [];
  const seenPaths = new Set<string>();
  const seenIds = new Set<string>();
  const seenStems = new Set<string>();

  const addWord = (w: string): void => {
    const word = w.toLowerCase();
    if (word.length < 2 || STOP_WORDS.has(word) || /^\p{N}+$/u.test(word)) return;
    const s = stem(word);
    if (seenStems.has(s)) return;
    seenStems.add(s);
    words.push({ word, stem: s });
  };
  const addIdentifier = (text: string, container?: string): void => {
    const key = `${container ?? ''}\u0000${text}`;
    if (seenIds.has(key)) return;
    seenIds.add(key);
    identifiers.push(container === undefined ? { text } : { text, container });
  };

  // Backticked spans are code whatever they look like; the rest is split on whitespace. In order.
  const tokens: { text: string; quoted: boolean }[] = [];
  for (const m of question.matchAll(/`([^`]*)`|[^\s`]+/g)) {
    if (m[1] === undefined) tokens.push({ text: m[0], quoted: false });
    else for (const t of m[1].split(/\s+/)) tokens.push({ text: t, quoted: true });
  }

  for (const token of tokens) {
    let t = token.text.replace(/^[\s"'(<[{,;:!?*]+/, '').replace(/[\s"'>\]},;:!?*.]+$/, '');
    t = t.replace(/'s$/i, '');
    let called = false;
    if (t.endsWith('()')) {
      t = t.slice(0, -2);
      called = true;
    }
    t = t.replace(/\)+$/, '');
    if (t === '') continue;

    if (isPathLike(t)) {
      const p = t.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
      if (p !== '' && !seenPaths.has(p)) {
        seenPaths.add(p);
        paths.push(p);
      }
      for (const w of subWords(p.replace(/\.[^./]*$/, ''))) addWord(w);
      continue;
    }
    if (!QUALIFIED.test(t)) {
      // Prose with punctuation inside ("re-render", "item/quantity" was taken as a path above).
      for (const w of subWords(t)) addWord(w);
      continue;
    }
    const parts = t.split(SEPARATORS);
    const qualified = parts.length > 1;
    parts.forEach((part, i) => {
      // "e.g." is not a qualified name: one-letter parts count only when quoted.
      if ((token.quoted || called || qualified || looksLikeCode(part)) && (part.length > 1 || token.quoted)) {
        addIdentifier(part, i > 0 ? parts[i - 1] : undefined);
      }
      for (const w of subWords(part)) addWord(w);
    });
  }
  return { paths, identifiers, words };
}

/** The display form: paths and identifiers as written, then the words. */
export function describeTerms(terms: QuestionTerms): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (s: string): void => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  for (const p of terms.paths) push(p);
  for (const id of terms.identifiers) push(id.container ? `${id.container}.${id.text}` : id.text);
  for (const w of terms.words) push(w.word);
  return out;
}

/** A name nobody would write in prose: inner capital, underscore, digit or `$`. */
function looksLikeCode(word: string): boolean {
  return /[_$\p{N}]/u.test(word) || /\p{Ll}\p{Lu}/u.test(word) || /^\p{Lu}{2,}\p{Ll}/u.test(word) || /^\p{Lu}[\p{Ll}\p{N}]*\p{Lu}/u.test(word);
}

/** `src/cart`, `cart.ts`, `./lib/`: a slash, or a file extension a grammar exists for. */
function isPathLike(token: string): boolean {
  if (/^[a-z]+:\/\//i.test(token)) return false; // a URL
  if (token.includes('/')) return /[\p{L}\p{N}_]/u.test(token);
  return languageForPath(token) !== undefined && /^[\p{L}\p{N}_.\-\\]+$/u.test(token);
}
