// Candidates for a line not yet typed: the cursor on a fresh line, before the name of what the user
// is about to call exists anywhere near it. Names near the cursor then say little about the next
// call; what a caller might reach for is (from likelier to less likely):
//   1. the types in the enclosing function's signature (parameter and return types, a Go method's
//      receiver) and the class the cursor is in (`self`, `this`), with their members' signatures,
//      the members of its bases (two levels), and the types of its attributes (attributeTypes.ts);
//   2. what the file imports by name: each name's signature (one line, or a wrapped signature),
//      first the names written nowhere else in the file yet (imported for what comes next);
//   3. definitions of names the file uses beyond the lines near the cursor, and the members of the
//      types it imports (a Java or C# import names a class whose methods are the API);
//   4. for whole-module imports (Go packages, a Go file's own package, `require`, `#include`,
//      `import os`, `using`, and Python's `from . import module`), the module's public functions
//      and types, then its types' members, capped: a guess, so last.
// Within and across these, a candidate whose name shares words with the cursor's place (the
// enclosing functions, the lines just above, the file's name; nameAffinity.ts) ranks higher, and a
// large package's cap keeps those first. Test entry points and Python's dunders never come.
// The order was measured on real code (the call's line cut from the file: ajv's and msal-common's
// TypeScript, Python's email/json/http/logging): members of imported types and whole-module APIs
// ranked above the file's own names crowded out the likelier ones.
// Signatures are cheap, so many fit 512 tokens where two bodies would not. This only picks and
// scores definitions; retrieval.ts renders and packs them with the rest. It reads the index (names,
// a file's symbols), never scans it, and keeps only the best MAX_PICKS picks so the files it reads
// per request stay few.

import type { ContextRequest, FileSymbols, IndexedDefinition, SymbolDefinition } from './contextTypes';
import type { EnclosingScope } from './cursorSyntax';
import { limitPerPlace, placeCount } from './definitionPlaces';
import type { ParsedDocument } from './documentTrees';
import { moduleAlias, type ImportedFiles } from './importedFiles';
import { lookupGroup, type ContextLanguage } from './languages/registry';
import { lineStartOffset } from '../kernel/textLines';
import { attributesUsed, attributeTypes } from './attributeTypes';
import { fileBaseName, isTestEntryPoint, NameAffinity } from './nameAffinity';
import { signatureLines } from './signatureLines';
import { OWN_PACKAGE } from './symbolExtractor';

export interface DefinitionPick {
  def: IndexedDefinition;
  /** 'signature': its signature lines only; 'definition': whole, or outlined when long. */
  shape: 'signature' | 'definition';
  score: number;
  reason: string;
}

export interface NewLineSources {
  symbolsOf(file: string): FileSymbols | undefined;
  definitionsNamed(name: string): readonly IndexedDefinition[];
}

export interface NewLineInput {
  request: ContextRequest;
  doc: ParsedDocument;
  /** The scopes around the cursor, innermost first (cursorSyntax.ts). */
  scopes: readonly EnclosingScope[];
  language: ContextLanguage;
  imported: ImportedFiles;
  /** Names near the cursor: retrieval looks them up already. */
  near: ReadonlySet<string>;
  /** Words written on the LINES_ABOVE_FOR_AFFINITY lines above the cursor: `case tokenLocalDate:` says what comes next. */
  namesAbove: readonly string[];
  cursorLine: number;
  /** A name defined in more places than this is too ambiguous to guess from. */
  maxMatches: number;
}

/** Scores, below the definitions of names written near the cursor (up to 1.0). */
export const NEW_LINE_SCORE = {
  signatureType: 0.6,
  typeMember: 0.5,
  /** Members of the enclosing class's bases (less for a base's base). */
  baseMember: 0.45,
  /** An attribute's type (and its members) when the attribute is not used in the enclosing method. */
  attributeType: 0.4,
  attributeMember: 0.35,
  importedUnused: 0.55,
  importedName: 0.5,
  importedType: 0.45,
  usedInFileImported: 0.32,
  usedInFile: 0.3,
  importedMember: 0.28,
  moduleMember: 0.25,
  usedInWorkspace: 0.2,
} as const;

/** Added to a whole-module import's picks by its share of the uses (still below importedMember). */
const MODULE_USE_BONUS = 0.025;
/**
 * Added to any pick per word its name shares with the cursor's place (nameAffinity.ts; at most
 * MAX_AFFINITY): a module's function with one such word ranks just above the file's own names.
 */
const AFFINITY_BONUS = 0.06;
const MAX_AFFINITY = 2;
/** Lines above the cursor whose names count as the place's words too (`case tokenLocalDate:`). */
export const LINES_ABOVE_FOR_AFFINITY = 5;
/** Levels of base classes whose members are offered (a base, and its bases). */
const BASE_CLASS_DEPTH = 2;
/** Most picks returned (signatures of ~15 tokens plus a header: about two 512-token blocks). */
export const MAX_PICKS = 48;
/** Top-level definitions taken from one whole-module import. */
const MAX_MODULE_MEMBERS = 16;
/** Members listed for one type that lie outside its body (Go methods, Rust impls). */
const MAX_TYPE_MEMBERS = 12;
/** Characters of the enclosing class read for its attributes' types (its start, where `__init__` is). */
const MAX_CLASS_TEXT = 40_000;
/** Names of the file looked up beyond the near ones. */
const MAX_FILE_NAMES = 400;

/** What a whole-module import offers a caller, at any depth. */
const MODULE_API_KINDS = new Set<SymbolDefinition['kind']>(['function', 'method', 'class', 'interface', 'enum', 'type', 'constant']);
const TYPE_KINDS = new Set<SymbolDefinition['kind']>(['class', 'interface', 'enum', 'type']);
const CLASS_LIKE = new Set<SymbolDefinition['kind']>(['class', 'interface', 'enum']);

/** Python's protocol names (`__all__`, `__version__`, `__init__`). */
const isDunder = (name: string): boolean => /^__\w+__$/.test(name);

/** True when only whitespace precedes the cursor on its line: nothing of the line is typed yet. */
export function isLineNotYetTyped(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}

export function newLineCandidates(input: NewLineInput, sources: NewLineSources): DefinitionPick[] {
  const affinity = new NameAffinity([...input.scopes.map((s) => s.name), ...input.namesAbove], input.request.file);
  const picks = new Picks(affinity);
  addSignatureTypes(input, sources, picks);
  addImports(input, sources, picks, affinity);
  addNamesOfFile(input, sources, picks);
  return picks.best(MAX_PICKS);
}

/** Best score per definition; the list ranked by score, then by place so the pick is stable. */
class Picks {
  private readonly byDef = new Map<string, DefinitionPick>();
  constructor(private readonly affinity: NameAffinity) {}
  add(pick: DefinitionPick): void {
    // A test entry point is never called by name, whatever it shares with the place.
    if (isTestEntryPoint(pick.def.name, pick.def.file)) return;
    const shared = Math.min(this.affinity.of(pick.def.name, pick.def.file), MAX_AFFINITY);
    pick = { ...pick, score: pick.score + AFFINITY_BONUS * shared };
    const key = `${pick.def.file}\u0000${pick.def.startLine}\u0000${pick.def.name}`;
    const existing = this.byDef.get(key);
    if (!existing || pick.score > existing.score) this.byDef.set(key, pick);
  }
  best(limit: number): DefinitionPick[] {
    return [...this.byDef.values()]
      .sort((a, b) => b.score - a.score || (a.def.file < b.def.file ? -1 : a.def.file > b.def.file ? 1 : 0) || a.def.startLine - b.def.startLine)
      .slice(0, limit);
  }
}

function insideCursor(input: NewLineInput, def: IndexedDefinition): boolean {
  return def.file === input.request.file && def.startLine <= input.cursorLine && input.cursorLine <= def.endLine;
}

/** Types named in the enclosing function's signature, and the enclosing class, with their members. */
function addSignatureTypes(input: NewLineInput, sources: NewLineSources, picks: Picks): void {
  const scopes = input.scopes;
  const fn = scopes.find((s) => s.kind === 'function' || s.kind === 'method');
  const cls = scopes.find((s) => CLASS_LIKE.has(s.kind));
  const typeNames: string[] = [];
  if (fn) {
    const lines = input.doc.text.split('\n', fn.startLine + 8);
    const span = signatureLines(fn, lines, 8);
    const signature = span ? lines.slice(span.startLine - 1, span.endLine).join('\n') : fn.signature;
    for (const word of signature.match(/[A-Za-z_][\w]*/g) ?? []) {
      if (word !== fn.name && !typeNames.includes(word)) typeNames.push(word);
    }
  }
  for (const name of typeNames) {
    for (const def of typesNamed(input, sources, name)) {
      picks.add({ def, shape: 'definition', score: NEW_LINE_SCORE.signatureType, reason: `type ${name} in the signature of ${fn!.name}` });
      addMembersOf(def, sources, picks, `member of ${name}`);
    }
  }
  if (cls) {
    const own = sources.symbolsOf(input.request.file);
    const def = own?.definitions.find((d) => d.name === cls.name && d.startLine === cls.startLine);
    if (def) addMembersOf({ ...def, file: input.request.file, language: own!.language }, sources, picks, `member of ${cls.name} (enclosing)`);
    addBaseClasses(input, sources, picks, cls.name, cls.signature, BASE_CLASS_DEPTH);
    addAttributeTypes(input, sources, picks, cls, fn);
  }
}

/** The types named `name` a reader of this file would take it for: those it defines or imports, else a few. */
function typesNamed(input: NewLineInput, sources: NewLineSources, name: string): IndexedDefinition[] {
  const group = lookupGroup(input.language);
  const types = sources.definitionsNamed(name).filter((d) => TYPE_KINDS.has(d.kind) && lookupGroup(d.language) === group && !insideCursor(input, d));
  const trusted = types.filter((d) => d.file === input.request.file || input.imported.files.has(d.file));
  return trusted.length > 0 ? trusted : placeCount(types) <= input.maxMatches ? types : [];
}

/**
 * Members of the classes a class's header names (`class Till(Base, mixins.Logged)`, `extends Base
 * implements Api`): what `self.`/`this.` reaches beyond the class's own body, then their bases.
 */
function addBaseClasses(input: NewLineInput, sources: NewLineSources, picks: Picks, name: string, header: string, depth: number): void {
  if (depth === 0) return;
  const words = new Set(header.match(/[A-Za-z_][\w]*/g) ?? []);
  words.delete(name);
  for (const word of words) {
    for (const base of typesNamed(input, sources, word)) {
      if (base.name === name) continue;
      addMembersOf(base, sources, picks, `member of ${word} (base of ${name})`, NEW_LINE_SCORE.baseMember - 0.05 * (BASE_CLASS_DEPTH - depth));
      addBaseClasses(input, sources, picks, base.name, base.signature, depth - 1);
    }
  }
}

/**
 * The types of the enclosing class's attributes (`self._loop = loop` with `loop: Loop` in the
 * signature) with their members' signatures: those the enclosing method uses ranked like its
 * signature's types, the others below the imports.
 */
function addAttributeTypes(input: NewLineInput, sources: NewLineSources, picks: Picks, cls: EnclosingScope, fn: EnclosingScope | undefined): void {
  const text = input.doc.text;
  const classStart = lineStartOffset(text, cls.startLine);
  const classEnd = Math.min(lineStartOffset(text, cls.endLine + 1), classStart + MAX_CLASS_TEXT);
  const types = attributeTypes(text.slice(classStart, classEnd));
  if (types.size === 0) return;
  const used = fn && fn.startLine > cls.startLine ? attributesUsed(text.slice(lineStartOffset(text, fn.startLine), lineStartOffset(text, input.cursorLine + 1))) : new Set<string>();
  for (const [attribute, name] of types) {
    const chosen = typesNamed(input, sources, name);
    const inMethod = used.has(attribute);
    const reason = `type ${name} of attribute ${attribute}`;
    for (const def of chosen) {
      picks.add({ def, shape: 'signature', score: inMethod ? NEW_LINE_SCORE.signatureType : NEW_LINE_SCORE.attributeType, reason });
      addMembersOf(def, sources, picks, `member of ${name} (attribute ${attribute})`, inMethod ? NEW_LINE_SCORE.typeMember : NEW_LINE_SCORE.attributeMember);
    }
  }
}

/** Signatures of a type's members in its file (methods declared apart, too: Go, Rust impls). */
function addMembersOf(type: IndexedDefinition, sources: NewLineSources, picks: Picks, reason: string, score: number = NEW_LINE_SCORE.typeMember): void {
  const members = (sources.symbolsOf(type.file)?.definitions ?? []).filter((m) => m.container === type.name && m !== type);
  for (const member of members.slice(0, MAX_TYPE_MEMBERS)) {
    picks.add({ def: { ...member, file: type.file, language: type.language }, shape: 'signature', score, reason });
  }
}

/** Each imported name's signature; a whole-module import's top-level definitions. */
function addImports(input: NewLineInput, sources: NewLineSources, picks: Picks, affinity: NameAffinity): void {
  const named = input.imported.statements.flatMap(({ statement }) => (statement.names.length > 0 ? statement.names : [moduleAlias(statement)]));
  const uses = named.length > 0 ? occurrences(input.request.text, new Set(named)) : new Map<string, number>();
  // Modules the file writes most (`errors.` twenty times) are likeliest to be called again.
  const moduleUses = (alias: string) => (uses.get(alias) ?? 0) / Math.max(1, ...uses.values());
  for (const { statement, targets } of input.imported.statements) {
    if (targets.length === 0) continue;
    if (statement.names.length === 0) {
      addModuleApi(targets, statement.source, sources, picks, moduleUses(moduleAlias(statement)), affinity);
      continue;
    }
    for (const name of statement.names) {
      const defs = sources.definitionsNamed(name).filter((d) => targets.includes(d.file));
      // `from . import coroutines`: the name is a module, and what it offers is its API.
      const module = defs.length === 0 ? targets.find((t) => fileBaseName(t) === name) : undefined;
      if (module !== undefined) addModuleApi([module], `${statement.source} ${name}`, sources, picks, moduleUses(name), affinity);
      if (defs.length === 0 || placeCount(defs) > input.maxMatches) continue;
      // Imported but written nowhere else yet (in the text so far): likely what comes next.
      const unused = (uses.get(name) ?? 0) <= 1;
      for (const def of limitPerPlace(defs)) {
        const type = TYPE_KINDS.has(def.kind);
        const reason = `imported ${name} (from ${statement.source}${unused ? ', not used yet' : ''})`;
        const score = unused ? NEW_LINE_SCORE.importedUnused : type ? NEW_LINE_SCORE.importedType : NEW_LINE_SCORE.importedName;
        picks.add({ def, shape: 'signature', score, reason });
        // A class is its members' API (Java's and C#'s imports name classes).
        if (type) addMembersOf(def, sources, picks, `member of ${name} (imported)`, NEW_LINE_SCORE.importedMember);
      }
    }
  }
}

/** How often each of `names` occurs as a word in `text` (one pass). */
function occurrences(text: string, names: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  const word = /[A-Za-z_$][\w$]*/g;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    if (names.has(m[0])) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  }
  return counts;
}

/**
 * The functions and types of a whole-module import's files, capped: first those at the module's top
 * level (what `mod.` reaches), then the members of its types, each by their names' affinity with the
 * cursor's place (nameAffinity.ts), then in file order. A large package (a Go package's twenty
 * files) offers far more than the cap; the files' order alone would pick its first file's.
 */
function addModuleApi(targets: readonly string[], source: string, sources: NewLineSources, picks: Picks, useShare: number, affinity: NameAffinity): void {
  const topLevel: IndexedDefinition[] = [];
  const members: IndexedDefinition[] = [];
  for (const target of targets) {
    const symbols = sources.symbolsOf(target);
    const defs = symbols?.definitions ?? [];
    const types = new Set(defs.filter((d) => CLASS_LIKE.has(d.kind)).map((d) => d.name));
    for (const def of defs) {
      // Namespaces and modules only wrap the API (C#'s `namespace`, Ruby's `module Pricing`): their
      // members, in file order, are what the import offers.
      if (!MODULE_API_KINDS.has(def.kind) || isTestEntryPoint(def.name, target) || (def.kind === 'constant' && isDunder(def.name))) continue;
      // Another Go package's unexported names can't be reached from here.
      if (symbols!.language === 'go' && source !== OWN_PACKAGE && !/^\p{Lu}/u.test(def.name)) continue;
      const member = def.container !== undefined && types.has(def.container);
      (member ? members : topLevel).push({ ...def, file: target, language: symbols!.language });
    }
  }
  // Public names first (`_private` ones are the module's own business), then by affinity.
  const related = (defs: IndexedDefinition[]) =>
    defs
      .map((def, order) => ({ def, order, hidden: def.name.startsWith('_') ? 1 : 0, affinity: affinity.of(def.name, def.file) }))
      .sort((a, b) => a.hidden - b.hidden || b.affinity - a.affinity || a.order - b.order);
  for (const { def } of [...related(topLevel), ...related(members)].slice(0, MAX_MODULE_MEMBERS)) {
    const score = NEW_LINE_SCORE.moduleMember + MODULE_USE_BONUS * useShare;
    picks.add({ def, shape: 'signature', score, reason: `${def.name} in ${source} (imported)` });
  }
}

/** Definitions of the names the file uses beyond the near lines. */
function addNamesOfFile(input: NewLineInput, sources: NewLineSources, picks: Picks): void {
  const own = sources.symbolsOf(input.request.file);
  const group = lookupGroup(input.language);
  for (const name of (own?.identifiers ?? []).slice(0, MAX_FILE_NAMES)) {
    // Python's dunders (`__all__`, `__init__`) are protocol: defined in every module, called by no one.
    if (input.near.has(name) || isDunder(name)) continue;
    const found = sources.definitionsNamed(name);
    if (found.length === 0) continue;
    const local = found.filter((d) => d.file === input.request.file && !insideCursor(input, d));
    const viaImport = found.filter((d) => input.imported.files.has(d.file));
    const reason = `definition of ${name} (used in this file)`;
    if (placeCount(local) <= input.maxMatches) {
      for (const def of limitPerPlace(local)) picks.add({ def, shape: 'signature', score: NEW_LINE_SCORE.usedInFile, reason });
    }
    if (viaImport.length > 0 && placeCount(viaImport) <= input.maxMatches) {
      for (const def of limitPerPlace(viaImport)) picks.add({ def, shape: 'signature', score: NEW_LINE_SCORE.usedInFileImported, reason });
    }
    if (local.length > 0 || viaImport.length > 0) continue;
    const elsewhere = found.filter((d) => d.file !== input.request.file && lookupGroup(d.language) === group);
    if (elsewhere.length === 0 || placeCount(elsewhere) > input.maxMatches) continue;
    for (const def of limitPerPlace(elsewhere)) picks.add({ def, shape: 'signature', score: NEW_LINE_SCORE.usedInWorkspace, reason });
  }
}
