// The in-memory symbol index of one workspace: for every indexed file its content hash, language and
// extracted symbols, plus a name -> files map so "where is `parseConfig` defined?" is one lookup, and
// the set of indexed paths the import resolver resolves against.
//
// Built to hold ~100k files in a worker thread's heap, so memory decides the layout:
// - Strings that repeat across files (definition names, containers, identifiers, import sources and
//   names) are interned once, so 100k files mentioning `id` hold one `id`.
// - A file's FileSymbols object is stored as given (after interning), never copied into per-definition
//   records; identical files (same hash) can share one object, which the persisted cache also holds.
// - The name map points at file entries, not definitions: an array of pointers per name. A query
//   re-reads the few definitions of each file by name, which costs nothing next to what it saves.
// - A rename mutates the entry's path, so the name map needs no change.
//
// definitionsNamed() answers in (file, line) order whatever the edit history, so retrieval that
// breaks ties by order stays deterministic.

import type { ContextLanguage, FileSymbols, IndexedDefinition, SymbolDefinition } from './contextTypes';
import { FileSet } from './importResolver';

export interface IndexEntry {
  file: string;
  hash: string;
  symbols: FileSymbols;
}

/** The mutable record behind an IndexEntry; kept private so the name map's invariants hold. */
interface Entry {
  file: string;
  hash: string;
  symbols: FileSymbols;
}

const NONE: readonly IndexedDefinition[] = Object.freeze([]);

/** A string pool: equal strings become one instance. Never shrinks (rebuild the index to reclaim). */
class Interner {
  private readonly pool = new Map<string, string>();

  intern(s: string): string {
    const found = this.pool.get(s);
    if (found !== undefined) return found;
    this.pool.set(s, s);
    return s;
  }

  get size(): number {
    return this.pool.size;
  }
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byName = new Map<string, Entry[]>();
  private readonly strings = new Interner();
  private definitionCount = 0;
  private changeCount = 0;
  /** Indexed paths, for import resolution; kept in step with `entries`. */
  readonly fileSet = new FileSet();

  get size(): number {
    return this.entries.size;
  }

  /** Total definitions across all files. */
  get definitions(): number {
    return this.definitionCount;
  }

  /** Changes with every set, delete and rename: what was computed from the index at one version holds until the next. */
  get version(): number {
    return this.changeCount;
  }

  /** Distinct strings interned so far (for stats). */
  get internedStrings(): number {
    return this.strings.size;
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  get(file: string): IndexEntry | undefined {
    return this.entries.get(file);
  }

  hashOf(file: string): string | undefined {
    return this.entries.get(file)?.hash;
  }

  files(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Every entry (file, hash, symbols), in insertion order. */
  values(): IterableIterator<IndexEntry> {
    return this.entries.values();
  }

  /**
   * Stores (or replaces) a file's symbols. The symbols object is interned in place and kept as is,
   * so the caller must not mutate it afterwards; passing the same object for several files (same
   * content hash) shares it.
   */
  set(file: string, hash: string, symbols: FileSymbols): void {
    const old = this.entries.get(file);
    if (old && old.hash === hash && old.symbols === symbols) return;
    if (old) this.unlinkNames(old);
    this.changeCount++;
    this.internSymbols(symbols);
    const entry: Entry = old ?? { file, hash, symbols };
    entry.hash = hash;
    entry.symbols = symbols;
    if (!old) {
      this.entries.set(file, entry);
      this.fileSet.add(file);
    }
    this.linkNames(entry);
  }

  delete(file: string): boolean {
    const entry = this.entries.get(file);
    if (!entry) return false;
    this.changeCount++;
    this.unlinkNames(entry);
    this.entries.delete(file);
    this.fileSet.remove(file);
    return true;
  }

  /** A file moved; an entry already at `to` is replaced. */
  rename(from: string, to: string): boolean {
    if (from === to) return this.entries.has(from);
    const entry = this.entries.get(from);
    if (!entry) return false;
    this.delete(to);
    this.changeCount++;
    // The name map holds entries sorted by path: take this one out, move it, put it back in order.
    this.unlinkNames(entry);
    this.entries.delete(from);
    this.fileSet.remove(from);
    entry.file = to;
    this.entries.set(to, entry);
    this.fileSet.add(to);
    this.linkNames(entry);
    return true;
  }

  clear(): void {
    for (const file of [...this.entries.keys()]) this.delete(file);
  }

  /** Every indexed definition named exactly `name`, ordered by file then line. */
  definitionsNamed(name: string): readonly IndexedDefinition[] {
    const list = this.byName.get(name);
    if (!list) return NONE;
    const found: IndexedDefinition[] = [];
    for (const entry of list) {
      const { language, definitions } = entry.symbols;
      const first = found.length;
      for (const def of definitions) if (def.name === name) found.push(indexed(def, entry.file, language));
      if (found.length - first > 1) {
        const mine = found.splice(first).sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
        found.push(...mine);
      }
    }
    return found;
  }

  private internSymbols(symbols: FileSymbols): void {
    const s = this.strings;
    for (const def of symbols.definitions) {
      def.name = s.intern(def.name);
      if (def.container !== undefined) def.container = s.intern(def.container);
    }
    for (const imp of symbols.imports) {
      imp.source = s.intern(imp.source);
      for (let i = 0; i < imp.names.length; i++) imp.names[i] = s.intern(imp.names[i]);
    }
    const ids = symbols.identifiers;
    for (let i = 0; i < ids.length; i++) ids[i] = s.intern(ids[i]);
  }

  private linkNames(entry: Entry): void {
    const seen = new Set<string>();
    for (const def of entry.symbols.definitions) {
      this.definitionCount++;
      if (seen.has(def.name)) continue;
      seen.add(def.name);
      const list = this.byName.get(def.name);
      if (!list) {
        this.byName.set(def.name, [entry]);
        continue;
      }
      list.splice(insertionPoint(list, entry.file), 0, entry);
    }
  }

  private unlinkNames(entry: Entry): void {
    const seen = new Set<string>();
    for (const def of entry.symbols.definitions) {
      this.definitionCount--;
      if (seen.has(def.name)) continue;
      seen.add(def.name);
      const list = this.byName.get(def.name);
      if (!list) continue;
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.byName.delete(def.name);
    }
  }
}

function indexed(def: SymbolDefinition, file: string, language: ContextLanguage): IndexedDefinition {
  const out: IndexedDefinition = {
    name: def.name,
    kind: def.kind,
    startLine: def.startLine,
    endLine: def.endLine,
    signature: def.signature,
    file,
    language,
  };
  if (def.container !== undefined) out.container = def.container;
  return out;
}

/** Where an entry for `file` goes in a list sorted by path (binary search). */
function insertionPoint(list: readonly Entry[], file: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].file < file) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
