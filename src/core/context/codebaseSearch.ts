// "Ask About Codebase": for a natural-language question, the definitions and files of the index
// most worth showing the model, within a token budget, each with the reason it was picked.
//
// How they are picked (the README describes this to users):
//   1. The question is reduced to terms (questionTerms.ts): identifiers and paths as written, and
//      stemmed words, stop words left out.
//   2. Every indexed definition is scored by its name: an identifier named exactly (or the same name
//      in another case style, compute_total for computeTotal) far above anything else; otherwise the
//      words its name shares with the question, each weighted by how rare it is among all definition
//      names (IDF: a word in every other name counts little), more when they cover the whole name.
//      Callables and types weigh more than variables and fields.
//   3. Every file is scored by the paths the question names (`cart.ts`, `src/checkout`), the words
//      its name and folders share with it, and how many matching definitions it holds; the active
//      file gets a bonus (and alone answers a question that names nothing), open files a smaller one
//      when they match at all. A file's score also lifts its definitions a little.
//   4. One hop out: the files the best definitions' files import, and the files importing them
//      (there, the definition using the name when there is one), join with small scores.
//   5. Candidates below a fraction of the best are dropped; the rest are packed best first
//      (codebasePacker.ts): definitions whole (long classes as an outline), a file matched by name
//      whole when small, else its outline; picks of one file that overlap are merged.
// Only indexed files take part (never what the index skipped: ignored, secret-looking, too large),
// read through textOf, so open documents' unsaved text wins and excluded content never appears.
// Ties break by path then line, so the same index and question always give the same answer.

import { estimateTokens } from '../kernel/tokenEstimate';
import { splitLines } from '../kernel/textLines';
import { packCodebaseSnippets, type LinePick, type PackCandidate } from './codebasePacker';
import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  ContextLanguage,
  FileSymbols,
  SymbolDefinition,
} from './contextTypes';
import { definitionLines, fileOutlineLines, range, signatureLine } from './definitionLines';
import { describeTerms, nameStems, questionTerms, type QuestionTerms } from './questionTerms';
import { snippetOverheadTokens } from './retrieval';
import { OWN_PACKAGE } from './symbolExtractor';

/** What search reads; the context workspace implements it over its index. */
export interface CodebaseSearchSources {
  /** Every indexed file with its symbols. */
  entries(): Iterable<{ file: string; symbols: FileSymbols }>;
  /** Indexed symbols of a file. */
  symbolsOf(file: string): FileSymbols | undefined;
  /** Workspace files an import statement of `fromFile` refers to, best first. */
  resolveImport(fromFile: string, language: ContextLanguage, source: string, names?: readonly string[]): string[];
  /** Current text (open document's, else disk); undefined when the file may not be used. */
  textOf(file: string): string | undefined;
  /**
   * Name -> nameStems(name), kept across searches by the owner of the index (names are interned
   * there, so this holds each once); without it every search splits every name afresh.
   */
  stemCache?: Map<string, string[]>;
}

/** A stem cache this large is dropped and rebuilt: edits keep adding names the index no longer has. */
const MAX_STEM_CACHE = 1_000_000;

export interface CodebaseSearchOptions {
  /** Default maxFiles of a query. */
  maxFiles: number;
  /** A file matched by name comes whole when it costs at most this many tokens (and half the budget). */
  wholeFileMaxTokens: number;
  /** Containers longer than this come as an outline of their members. */
  containerMaxLines: number;
  /** Most lines in a file outline. */
  outlineMaxLines: number;
  /** Definitions of at least this many lines may fall back to their first line when they do not fit. */
  signatureFallbackLines: number;
  /** How many of the best definitions' files are expanded one import hop. */
  expandFrom: number;
  /** Candidates scoring below this fraction of the best are left out (expansions excepted). */
  minRelativeScore: number;
  /** Most candidates considered for packing. */
  maxCandidates: number;
}

export const DEFAULT_SEARCH_MAX_FILES = 12;

export const DEFAULT_CODEBASE_SEARCH_OPTIONS: CodebaseSearchOptions = {
  maxFiles: DEFAULT_SEARCH_MAX_FILES,
  wholeFileMaxTokens: 1500,
  containerMaxLines: 60,
  outlineMaxLines: 80,
  signatureFallbackLines: 8,
  expandFrom: 3,
  minRelativeScore: 0.15,
  maxCandidates: 400,
};

// Score scale: an exact identifier is worth more than any mix of shared words can reach.
const SCORE = {
  exact: 12,
  sameNameOtherCase: 9,
  containerToo: 3,
  /** Times the IDF-weighted share of words (at most ~1 per word). */
  words: 4,
  pathExact: 12,
  pathSuffix: 10,
  pathOtherExtension: 8,
  inFolder: 4,
  fileNameWords: 5,
  folderWords: 1,
  /** Per matching definition held, up to holdCap. */
  holds: 0.5,
  holdCap: 6,
  active: 3,
  open: 1,
  /** Share of the file's score its definitions get. */
  fileLift: 0.2,
  expansion: 2,
} as const;

const KIND_WEIGHT: Partial<Record<SymbolDefinition['kind'], number>> = {
  class: 0.95,
  interface: 0.9,
  type: 0.9,
  enum: 0.9,
  constant: 0.85,
  macro: 0.8,
  variable: 0.7,
  field: 0.6,
  module: 0.5,
};

interface DefMatch {
  file: string;
  symbols: FileSymbols;
  def: SymbolDefinition;
  score: number;
  reason: string;
}

interface FileMatch {
  file: string;
  symbols: FileSymbols;
  /** Matched by path or name words (qualifies it for a whole-file pick). */
  nameScore: number;
  score: number;
  reasons: string[];
  matchingDefs: number;
}

export function searchCodebase(
  query: CodebaseQuery,
  sources: CodebaseSearchSources,
  options: CodebaseSearchOptions = DEFAULT_CODEBASE_SEARCH_OPTIONS,
): CodebaseAnswerContext {
  const terms = questionTerms(query.question ?? '');
  const budgetTokens = Math.max(0, Math.floor(Number.isFinite(query.budgetTokens) ? query.budgetTokens : 0));
  const maxFiles = Math.max(1, Math.floor(Number.isFinite(query.maxFiles) ? query.maxFiles! : options.maxFiles));
  const activeFile = query.activeFile !== undefined ? normalizePath(query.activeFile) : undefined;
  const openFiles = new Set((query.openFiles ?? []).map(normalizePath));

  const scan = scanIndex(sources, terms, activeFile, openFiles, {
    keepAbove: options.minRelativeScore / 2,
    maxDefs: options.maxCandidates,
  });
  const fileScore = (file: string): number => scan.files.get(file)?.score ?? 0;

  const texts = new FileTexts(sources);

  // Rank first, read texts after: a common word can match a hundred thousand definitions.
  interface Ranked {
    file: string;
    score: number;
    line: number;
    build: () => PackCandidate | undefined;
    /** What the import hop starts from, if this candidate makes the top. */
    seed?: Seed;
  }
  const ranked: Ranked[] = [];
  for (const m of scan.defs) {
    const score = m.score + SCORE.fileLift * fileScore(m.file);
    ranked.push({
      file: m.file,
      score,
      line: m.def.startLine,
      build: () => {
        const alternatives = definitionPick(m.def, m.file, m.symbols, texts, options);
        return alternatives && { file: m.file, score, reason: m.reason, alternatives };
      },
      seed: { file: m.file, symbols: m.symbols, name: m.def.name },
    });
  }
  // Files matched by name or path, and the active file.
  for (const f of scan.files.values()) {
    if (f.nameScore <= 0 && f.file !== activeFile) continue;
    ranked.push({
      file: f.file,
      score: f.score,
      line: 0,
      build: () => filePick(f, texts, budgetTokens, options),
      // The active file alone is no evidence of what the question is about.
      seed: f.nameScore > 0 ? { file: f.file, symbols: f.symbols } : undefined,
    });
  }

  // Drop the tail: a question about computeTotal should not spend the budget on every `total`.
  const best = ranked.reduce((m, c) => Math.max(m, c.score), 0);
  const top = ranked
    .filter((c) => c.score >= best * options.minRelativeScore)
    .sort((a, b) => b.score - a.score || cmp(a.file, b.file) || a.line - b.line)
    .slice(0, options.maxCandidates);
  const kept: PackCandidate[] = [];
  const seeds: Seed[] = [];
  for (const r of top) {
    const candidate = r.build();
    if (!candidate) continue;
    kept.push(candidate);
    if (r.seed && seeds.length < options.expandFrom && !seeds.some((s) => s.file === r.seed!.file)) seeds.push(r.seed);
  }
  kept.push(...expand(seeds, sources, texts, options));

  const packed = packCodebaseSnippets(kept, {
    budgetTokens,
    maxFiles,
    linesOf: (file) => texts.lines(file),
    overheadTokens: (file) => snippetOverheadTokens({ file }),
  });
  return {
    snippets: packed.snippets,
    filesConsidered: scan.fileCount,
    terms: describeTerms(terms),
    truncated: packed.truncated,
    tokens: packed.tokens,
  };
}

// ---- scoring ----

interface Scan {
  fileCount: number;
  /** The contenders only (see scanIndex), with their own score (before the file's lift). */
  defs: DefMatch[];
  files: Map<string, FileMatch>;
}

/**
 * Scores the index against the question in passes over it: (1) how common each of the question's
 * words is among definition and file names, and which files match at all; (2) every matching
 * definition's score, kept in a plain array; (3) a match object only for the contenders, those that
 * could still make the top `maxDefs` once lifted by their file and are not far below the best. A
 * common word can match a hundred thousand definitions: objects and reasons for all of them would
 * cost more than the rest of the search together.
 */
function scanIndex(
  sources: CodebaseSearchSources,
  terms: QuestionTerms,
  activeFile: string | undefined,
  openFiles: ReadonlySet<string>,
  limits: { keepAbove: number; maxDefs: number },
): Scan {
  const wordOf = new Map(terms.words.map((w) => [w.stem, w.word]));
  const dfDefs = new Map<string, number>();
  const dfNames = new Map<string, number>();
  const stemsOf = sources.stemCache ?? new Map<string, string[]>();
  if (stemsOf.size > MAX_STEM_CACHE) stemsOf.clear();
  const stemsMemo = (name: string): string[] => {
    let s = stemsOf.get(name);
    if (!s) {
      s = nameStems(name);
      stemsOf.set(name, s);
    }
    return s;
  };
  const exactNames = new Map<string, { text: string; container?: string }[]>();
  const foldedNames = new Map<string, string>();
  for (const id of terms.identifiers) {
    const list = exactNames.get(id.text) ?? [];
    list.push(id);
    exactNames.set(id.text, list);
    foldedNames.set(fold(id.text), id.text);
  }
  const exactMatch = (def: SymbolDefinition): { score: number; reason: string } | undefined => {
    const ids = exactNames.get(def.name);
    if (ids) {
      if (ids.some((id) => id.container !== undefined && id.container === def.container)) {
        return { score: SCORE.exact + SCORE.containerToo, reason: `defines ${def.container}.${def.name} (named in the question)` };
      }
      return { score: SCORE.exact, reason: `defines ${def.name} (named in the question)` };
    }
    if (foldedNames.size === 0) return undefined;
    const written = foldedNames.get(fold(def.name));
    return written === undefined ? undefined : { score: SCORE.sameNameOtherCase, reason: `defines ${def.name} (asked as ${written})` };
  };
  const matchesByName = (def: SymbolDefinition): boolean =>
    exactNames.has(def.name) || (foldedNames.size > 0 && foldedNames.has(fold(def.name)));

  interface RawFile {
    file: string;
    symbols: FileSymbols;
    pathScore: number;
    pathReason: string;
    baseStems: string[];
    dirStems: string[];
    holding: number;
    /** Where this file's definitions' stems start in defStems. */
    offset: number;
  }
  // Each definition's stems in scan order, so later passes need no second lookup by name.
  const defStems: string[][] = [];
  const rawFiles: RawFile[] = [];
  let fileCount = 0;
  let defCount = 0;
  const wanted = wordOf.size > 0 || exactNames.size > 0;

  // Pass 1.
  for (const { file, symbols } of sources.entries()) {
    fileCount++;
    const slash = file.lastIndexOf('/');
    const baseStems = stemsMemo(stripExtension(file.slice(slash + 1)));
    for (const s of baseStems) if (wordOf.has(s)) dfNames.set(s, (dfNames.get(s) ?? 0) + 1);
    const dirStems = slash > 0 ? stemsMemo(file.slice(0, slash)) : [];
    const path = pathMatch(file, terms.paths);
    let holding = 0;
    const offset = defStems.length;
    if (wanted) {
      for (const def of symbols.definitions) {
        defCount++;
        let hits = false;
        const stems = stemsMemo(def.name);
        defStems.push(stems);
        for (const s of stems) {
          if (wordOf.has(s)) {
            dfDefs.set(s, (dfDefs.get(s) ?? 0) + 1);
            hits = true;
          }
        }
        if (hits || matchesByName(def)) holding++;
      }
    }
    const touched =
      holding > 0 ||
      path.score > 0 ||
      file === activeFile ||
      baseStems.some((s) => wordOf.has(s)) ||
      dirStems.some((s) => wordOf.has(s));
    if (touched) rawFiles.push({ file, symbols, pathScore: path.score, pathReason: path.reason, baseStems, dirStems, holding, offset });
  }

  const idf = (df: Map<string, number>, total: number) => {
    const top = Math.log((total + 1) / 0.5);
    return (s: string): number => (top <= 0 ? 0 : Math.log((total + 1) / ((df.get(s) ?? 0) + 0.5)) / top);
  };
  const defIdf = idf(dfDefs, defCount);
  const nameIdf = idf(dfNames, fileCount);

  // Files: by path, name and folder words, matching definitions held, editor state.
  const files = new Map<string, FileMatch>();
  let maxFileScore = 0;
  for (const r of rawFiles) {
    const reasons: string[] = [];
    let nameScore = r.pathScore;
    if (r.pathScore > 0) reasons.push(r.pathReason);
    const baseHits = r.baseStems.filter((s) => wordOf.has(s));
    if (baseHits.length > 0) {
      const weight = baseHits.reduce((sum, s) => sum + nameIdf(s), 0);
      nameScore += SCORE.fileNameWords * weight * (0.5 + (0.5 * baseHits.length) / r.baseStems.length);
      if (r.pathScore === 0) reasons.push(`file name matches ${quoteList(baseHits.map((s) => wordOf.get(s)!))}`);
    }
    const dirHits = r.dirStems.filter((s) => wordOf.has(s));
    if (dirHits.length > 0) {
      nameScore += SCORE.folderWords * dirHits.length;
      reasons.push(`folder matches ${quoteList(dirHits.map((s) => wordOf.get(s)!))}`);
    }
    let score = nameScore + SCORE.holds * Math.min(r.holding, SCORE.holdCap);
    if (r.file === activeFile) {
      score += SCORE.active;
      reasons.push('active file');
    } else if (score > 0 && openFiles.has(r.file)) {
      score += SCORE.open;
      reasons.push('open in the editor');
    }
    if (score <= 0) continue;
    maxFileScore = Math.max(maxFileScore, score);
    files.set(r.file, { file: r.file, symbols: r.symbols, nameScore, score, reasons, matchingDefs: r.holding });
  }

  // Pass 2.
  const defScore = (def: SymbolDefinition, stems: readonly string[]): number => {
    let weight = 0;
    let matched = 0;
    for (const s of stems) {
      if (wordOf.has(s)) {
        weight += defIdf(s);
        matched++;
      }
    }
    const exact = matched === 0 && !matchesByName(def) ? undefined : exactMatch(def);
    if (matched === 0 && !exact) return 0;
    const words = matched > 0 ? SCORE.words * weight * (0.5 + (0.5 * matched) / stems.length) : 0;
    return ((exact?.score ?? 0) + words) * (KIND_WEIGHT[def.kind] ?? 1);
  };
  const holders = rawFiles.filter((r) => r.holding > 0);
  const scores: number[] = [];
  let best = 0;
  for (const r of holders) {
    r.symbols.definitions.forEach((def, k) => {
      const score = defScore(def, defStems[r.offset + k]);
      scores.push(score);
      if (score > best) best = score;
    });
  }
  // What the maxDefs-th best would need to be beaten by, lifted by the best file at most.
  let cutoff = best * limits.keepAbove;
  const positive = scores.filter((x) => x > 0);
  if (positive.length > limits.maxDefs) {
    const sorted = Float64Array.from(positive).sort();
    cutoff = Math.max(cutoff, sorted[sorted.length - limits.maxDefs] - SCORE.fileLift * maxFileScore);
  }

  // Pass 3.
  const defs: DefMatch[] = [];
  let i = 0;
  for (const r of holders) {
    r.symbols.definitions.forEach((def, k) => {
      const score = scores[i++];
      if (score <= 0 || score < cutoff) return;
      const exact = exactMatch(def);
      const matched = defStems[r.offset + k].filter((s) => wordOf.has(s));
      const reason = exact?.reason ?? `defines ${def.name} (matches ${quoteList(matched.map((s) => wordOf.get(s)!))})`;
      defs.push({ file: r.file, symbols: r.symbols, def, score, reason });
    });
  }
  return { fileCount, defs, files };
}

/** How well `file` matches the paths the question names, and why. */
function pathMatch(file: string, paths: readonly string[]): { score: number; reason: string } {
  let best = { score: 0, reason: '' };
  if (paths.length === 0) return best;
  const f = file.toLowerCase();
  const fNoExt = stripExtension(f);
  for (const p of paths) {
    const q = p.toLowerCase();
    const qNoExt = stripExtension(q);
    let score = 0;
    let reason = `file name matches '${p}'`;
    if (f === q) {
      score = SCORE.pathExact;
      reason = `path '${p}' named in the question`;
    } else if (f.endsWith('/' + q)) {
      score = SCORE.pathSuffix;
    } else if (qNoExt !== '' && (fNoExt === qNoExt || fNoExt.endsWith('/' + qNoExt))) {
      score = SCORE.pathOtherExtension;
    } else if (f.startsWith(q + '/') || f.includes('/' + q + '/')) {
      score = SCORE.inFolder;
      reason = `in folder '${p}'`;
    }
    if (score > best.score) best = { score, reason };
  }
  return best;
}

// ---- picks ----

/** A file matched by name: whole when small, else its outline; the active file: its outline. */
function filePick(f: FileMatch, texts: FileTexts, budgetTokens: number, options: CodebaseSearchOptions): PackCandidate | undefined {
  const lines = texts.lines(f.file);
  if (!lines) return undefined;
  const alternatives: LinePick[] = [];
  if (f.nameScore > 0) {
    const tokens = estimateTokens(lines.join('\n'));
    if (tokens <= Math.min(options.wholeFileMaxTokens, budgetTokens / 2)) {
      alternatives.push({ lines: range(1, lines.length), kind: 'file' });
    }
  }
  const outline = fileOutlineLines(f.symbols.definitions, lines, options.outlineMaxLines);
  if (outline.length > 0) alternatives.push({ lines: outline, kind: 'outline' });
  else if (alternatives.length === 0) {
    // No definitions to list (a script): its head stands in for an outline.
    alternatives.push({ lines: range(1, Math.min(lines.length, options.outlineMaxLines)), kind: 'outline' });
  }
  const reasons = [...f.reasons];
  if (f.matchingDefs > 0) reasons.push(`holds ${f.matchingDefs} matching definition${f.matchingDefs === 1 ? '' : 's'}`);
  return { file: f.file, score: f.score, reason: reasons.join('; '), alternatives };
}

/** A definition's lines, with its first line as a fallback when it is long. */
function definitionPick(
  def: SymbolDefinition,
  file: string,
  symbols: FileSymbols,
  texts: FileTexts,
  options: CodebaseSearchOptions,
): LinePick[] | undefined {
  const lines = texts.lines(file);
  if (!lines) return undefined;
  const shape = definitionLines(def, lines, symbols.definitions, options.containerMaxLines);
  if (shape.lines.length === 0) return undefined;
  const picks: LinePick[] = [{ lines: shape.lines, kind: shape.outline ? 'outline' : 'definition' }];
  if (shape.lines.length >= options.signatureFallbackLines) picks.push({ lines: [signatureLine(def, lines)], kind: 'outline' });
  return picks;
}

interface Seed {
  file: string;
  symbols: FileSymbols;
  /** The definition's name when the seed is a definition: importers show where they use it. */
  name?: string;
}

/**
 * One hop along imports from the best candidates' files: what they import, and who imports them
 * (there, the definition that uses the seed's name, if any).
 */
function expand(
  seeds: readonly Seed[],
  sources: CodebaseSearchSources,
  texts: FileTexts,
  options: CodebaseSearchOptions,
): PackCandidate[] {
  if (seeds.length === 0) return [];
  const out: PackCandidate[] = [];
  const outlineOf = (file: string, symbols: FileSymbols): LinePick[] | undefined => {
    const lines = texts.lines(file);
    if (!lines) return undefined;
    const outline = fileOutlineLines(symbols.definitions, lines, options.outlineMaxLines);
    return outline.length > 0 ? [{ lines: outline, kind: 'outline' }] : undefined;
  };

  // Importers: files whose import text mentions a seed's file or folder name, resolved to be sure.
  const keyed = seeds.map((seed) => {
    const parts = seed.file.toLowerCase().split('/');
    const base = stripExtension(parts[parts.length - 1]);
    const dir = parts.length > 1 ? parts[parts.length - 2] : '';
    return { seed, keys: [base, dir].filter((k) => k.length >= 2) };
  });
  const seedFiles = new Set(seeds.map((s) => s.file));
  for (const { file, symbols } of sources.entries()) {
    if (seedFiles.has(file) || symbols.imports.length === 0) continue;
    // A C file including both pricing.h and pricing.c uses compute_total once, not twice.
    const usedNames = new Set<string>();
    keyed.forEach(({ seed, keys }, rank) => {
      const imports = symbols.imports.filter((imp) => {
        const source = imp.source.toLowerCase();
        return keys.some((k) => source.includes(k));
      });
      if (!imports.some((imp) => sources.resolveImport(file, symbols.language, imp.source, imp.names).includes(seed.file))) return;
      const score = SCORE.expansion / (1 + rank);
      if (seed.name !== undefined && usedNames.has(seed.name)) return;
      const use = seed.name !== undefined ? usePick(file, symbols, seed.name, texts, options) : undefined;
      if (use) {
        usedNames.add(seed.name!);
        out.push({ file, score, reason: `uses ${seed.name} (imports ${seed.file})`, alternatives: use });
        return;
      }
      const alt = outlineOf(file, symbols);
      if (alt) out.push({ file, score: score * 0.75, reason: `imports ${seed.file}`, alternatives: alt });
    });
  }

  // What the seeds import.
  seeds.forEach((seed, rank) => {
    const seen = new Set<string>();
    for (const imp of seed.symbols.imports) {
      // A Go file's own package is every file of its folder: neighbours, not what it uses.
      if (imp.source === OWN_PACKAGE) continue;
      for (const target of sources.resolveImport(seed.file, seed.symbols.language, imp.source, imp.names)) {
        if (target === seed.file || seen.has(target)) continue;
        seen.add(target);
        const targetSymbols = sources.symbolsOf(target);
        const alt = targetSymbols && outlineOf(target, targetSymbols);
        if (alt) {
          out.push({ file: target, score: (SCORE.expansion * 0.75) / (1 + rank), reason: `imported by ${seed.file}`, alternatives: alt });
        }
      }
    }
  });
  return out;
}

/** The definition in `file` that uses `name` (innermost around its first use), whole or as an outline. */
function usePick(
  file: string,
  symbols: FileSymbols,
  name: string,
  texts: FileTexts,
  options: CodebaseSearchOptions,
): LinePick[] | undefined {
  if (!symbols.identifiers.includes(name)) return undefined;
  const lines = texts.lines(file);
  if (!lines) return undefined;
  const importLines = new Set(symbols.imports.map((i) => i.line));
  const word = new RegExp(`(^|[^\\p{L}\\p{N}_$])${escapeRegExp(name)}($|[^\\p{L}\\p{N}_$])`, 'u');
  const at = lines.findIndex((text, i) => !importLines.has(i + 1) && word.test(text));
  if (at < 0) return undefined;
  const line = at + 1;
  const around = symbols.definitions
    .filter((d) => d.startLine <= line && line <= d.endLine)
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
  const innermost = around[0];
  if (!innermost) return [{ lines: range(Math.max(1, line - 2), Math.min(lines.length, line + 2)), kind: 'definition' }];
  const shape = definitionLines(innermost, lines, symbols.definitions, options.containerMaxLines);
  const picks: LinePick[] = [];
  if (shape.lines.length > 0 && shape.lines.includes(line)) picks.push({ lines: shape.lines, kind: 'definition' });
  picks.push({ lines: range(Math.max(1, line - 2), Math.min(lines.length, line + 2)), kind: 'definition' });
  return picks;
}

// ---- helpers ----

/** Each file's lines, read once per search; a final newline adds no line. */
class FileTexts {
  private readonly cache = new Map<string, string[] | undefined>();
  constructor(private readonly sources: CodebaseSearchSources) {}

  lines(file: string): string[] | undefined {
    if (this.cache.has(file)) return this.cache.get(file);
    const text = this.sources.textOf(file);
    let lines: string[] | undefined;
    if (text !== undefined) {
      lines = splitLines(text);
      if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    }
    this.cache.set(file, lines);
    return lines;
  }
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function stripExtension(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  return dot > slash + 1 ? name.slice(0, dot) : name;
}

/** computeTotal, compute_total, COMPUTE_TOTAL and ComputeTotal all fold to computetotal. */
function fold(name: string): string {
  return name.replace(/[_$-]/g, '').toLowerCase();
}

function quoteList(words: readonly string[]): string {
  return [...new Set(words)].map((w) => `'${w}'`).join(', ');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
