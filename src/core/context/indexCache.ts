// The workspace index persisted between sessions, keyed by CONTENT HASH, so a restart re-parses only
// files whose text changed: reading and hashing a file costs microseconds, parsing it milliseconds.
//
// Validity: the file carries the cache format and an extractor fingerprint (EXTRACTOR_VERSION plus
// the sizes of the grammars and the hash of their query files). Symbols extracted by another
// extractor, grammar or query are never reused: any mismatch, a missing file, a truncated or
// corrupt file all give an empty cache; load never throws. A single malformed entry is a miss.
//
// Optional speedup, on by default: the last save also remembers path -> {size, mtimeMs, hash}, so
// an unchanged file (same size and mtime) is not even read on restart. That is what git and make
// trust too; like git, an entry whose mtime was within RACY_MS of the moment it was read is not
// remembered, because a same-size write in the same clock tick would be invisible.
//
// Layout on disk (JSON, compact): one string table; symbols as number arrays indexing into it, so
// the thousands of repeated names (`id`, `self`, `useState`) are stored once.
//
// Saving is atomic (write a temporary file, then rename over the old one) and writes only what the
// caller hands it: the index's live entries, which prunes symbols of deleted or changed files.

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DefinitionKind, FileSymbols, ImportStatement, SymbolDefinition } from './contextTypes';
import { CONTEXT_LANGUAGES } from './languages/registry';

/** Bump when symbol extraction changes what it produces (queries, kinds, signature rules). */
export const EXTRACTOR_VERSION = 1;
/** Bump when the on-disk layout below changes. */
export const CACHE_FORMAT = 1;
export const CACHE_FILE_NAME = 'context-index.json';
/** An mtime this close to (or after) the moment the file was read is not trusted on restart. */
export const RACY_MS = 2000;

/**
 * sha1 hex of the UTF-8 text: fast (native), and collisions are not a concern for a cache key.
 * With `language`, the key also says which grammar read it: the same text (`export {};`, an empty
 * file) in a .js and a .ts file gives different symbols and must not share one cache entry.
 */
export function hashContent(content: string | Uint8Array, language?: string): string {
  const h = createHash('sha1');
  if (language !== undefined) h.update(`${language}\0`);
  if (typeof content === 'string') h.update(content, 'utf8');
  else h.update(content);
  return h.digest('hex');
}

/**
 * EXTRACTOR_VERSION combined with what the grammars and queries are: sizes of the .wasm files and a
 * hash of every query file (tags, extra tags, imports). Sizes, not mtimes: the build copies the
 * grammars afresh every time.
 */
export async function extractorFingerprint(grammarDir: string): Promise<string> {
  const h = createHash('sha1');
  h.update(`extractor ${EXTRACTOR_VERSION}\n`);
  const names = await fsp.readdir(grammarDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.wasm')).sort()) {
    const st = await fsp.stat(path.join(grammarDir, name)).catch(() => undefined);
    h.update(`${name} ${st?.size ?? -1}\n`);
  }
  const queryDir = path.join(grammarDir, 'queries');
  const langs = await fsp.readdir(queryDir).catch(() => [] as string[]);
  for (const lang of langs.sort()) {
    const files = await fsp.readdir(path.join(queryDir, lang)).catch(() => [] as string[]);
    for (const name of files.filter((n) => n.endsWith('.scm')).sort()) {
      const text = await fsp.readFile(path.join(queryDir, lang, name), 'utf8').catch(() => '');
      h.update(`${lang}/${name} ${hashContent(text)}\n`);
    }
  }
  return h.digest('hex');
}

/** One file as the index holds it, handed to save(). */
export interface CachedFile {
  file: string;
  hash: string;
  symbols: FileSymbols;
  /** The stat seen when the file was read, and when (ms since epoch); absent for open documents' live text. */
  stat?: { size: number; mtimeMs: number; readAt: number };
}

export interface IndexCacheOptions {
  /** From extractorFingerprint(); a cache saved with another fingerprint is discarded. */
  fingerprint?: string;
  log?: (line: string) => void;
}

const KINDS: readonly DefinitionKind[] = [
  'class',
  'interface',
  'type',
  'enum',
  'function',
  'method',
  'constant',
  'variable',
  'field',
  'module',
  'macro',
];
// Stored by index: reordering CONTEXT_LANGUAGES needs an EXTRACTOR_VERSION bump.
const LANGUAGES = CONTEXT_LANGUAGES;

/**
 * One FileSymbols on disk: [language index, hasErrors 0|1, definitions, imports, identifiers], where
 * definitions is flat: name, kind index, startLine, endLine, signature, container (-1 for none), and
 * each import is [source, line, ...names]. Strings are indices into the string table.
 */
type EncodedSymbols = [number, number, number[], number[][], number[]];

interface CacheFile {
  format: number;
  fingerprint: string;
  savedAt: number;
  strings: string[];
  symbols: Record<string, EncodedSymbols>;
  /** path -> [size, mtimeMs, hash] */
  paths: Record<string, [number, number, string]>;
}

export class IndexCache {
  /** Symbols as loaded from disk, decoded on first use (most of a big cache is read once, at startup). */
  private loaded = new Map<string, EncodedSymbols>();
  private strings: string[] = [];
  private readonly live = new Map<string, FileSymbols>();
  private paths = new Map<string, [number, number, string]>();
  /** Lookups answered / not answered. */
  hits = 0;
  misses = 0;

  private constructor(
    private readonly dir: string | undefined,
    private readonly fingerprint: string,
    private readonly log: (line: string) => void,
  ) {}

  /** An empty cache that never saves (no storage directory: tests, one-shot CLI runs). */
  static memory(): IndexCache {
    return new IndexCache(undefined, '', () => {});
  }

  /** Reads `dir`/context-index.json; anything missing, corrupt or stale gives an empty cache. */
  static async load(dir: string | undefined, options: IndexCacheOptions = {}): Promise<IndexCache> {
    const log = options.log ?? (() => {});
    const cache = new IndexCache(dir, options.fingerprint ?? '', log);
    if (!dir) return cache;
    let raw: string;
    try {
      raw = await fsp.readFile(path.join(dir, CACHE_FILE_NAME), 'utf8');
    } catch {
      return cache; // first run
    }
    try {
      const data = JSON.parse(raw) as unknown;
      const why = cache.adopt(data);
      if (why) log(`index cache ignored: ${why}`);
    } catch (e) {
      log(`index cache ignored: unreadable (${e instanceof Error ? e.message : String(e)})`);
    }
    return cache;
  }

  /** Cached symbols for this content hash, or undefined. */
  get(hash: string): FileSymbols | undefined {
    let found = this.live.get(hash);
    if (!found) {
      const encoded = this.loaded.get(hash);
      if (encoded) {
        this.loaded.delete(hash);
        found = this.decode(encoded);
        if (found) this.live.set(hash, found);
      }
    }
    if (found) this.hits++;
    else this.misses++;
    return found;
  }

  /** Forgets everything in memory (a fresh rebuild); the file on disk is replaced at the next save. */
  clear(): void {
    this.loaded = new Map();
    this.strings = [];
    this.live.clear();
    this.paths = new Map();
  }

  set(hash: string, symbols: FileSymbols): void {
    this.live.set(hash, symbols);
  }

  /**
   * The hash recorded at the last save for this path, if its size and mtime are unchanged, so the
   * caller may skip reading the file. Undefined means "read it".
   */
  hashForStat(file: string, size: number, mtimeMs: number): string | undefined {
    const p = this.paths.get(file);
    if (!p || p[0] !== size || p[1] !== mtimeMs) return undefined;
    return p[2];
  }

  /** Entries held in memory (decoded + still encoded), for stats. */
  get size(): number {
    return this.live.size + this.loaded.size;
  }

  /**
   * Writes `files` (the index's live entries) atomically. With `prune` (the default, after a full
   * index) that is all it writes, and from then on it holds only their symbols: symbols of deleted
   * or changed files are dropped. Without it (a periodic save in the middle of a run) entries not
   * reached yet are kept too. Returns false (and logs) when the write failed.
   */
  async save(files: Iterable<CachedFile>, options: { prune?: boolean } = {}): Promise<boolean> {
    const prune = options.prune ?? true;
    const strings: string[] = [];
    const ids = new Map<string, number>();
    const str = (s: string): number => {
      let id = ids.get(s);
      if (id === undefined) {
        id = strings.length;
        strings.push(s);
        ids.set(s, id);
      }
      return id;
    };
    const symbols = new Map<string, EncodedSymbols>();
    const paths = new Map<string, [number, number, string]>();
    const keep = new Map<string, FileSymbols>();
    for (const f of files) {
      if (!symbols.has(f.hash)) symbols.set(f.hash, encode(f.symbols, str));
      keep.set(f.hash, f.symbols);
      if (f.stat && f.stat.mtimeMs + RACY_MS < f.stat.readAt) paths.set(f.file, [f.stat.size, f.stat.mtimeMs, f.hash]);
    }
    if (prune) {
      this.loaded = new Map();
      this.strings = [];
      this.live.clear();
      for (const [hash, s] of keep) this.live.set(hash, s);
      this.paths = new Map(paths);
    } else {
      for (const [hash, s] of this.live) if (!symbols.has(hash)) symbols.set(hash, encode(s, str));
      for (const [hash, enc] of this.loaded) {
        if (symbols.has(hash)) continue;
        const decoded = this.decode(enc);
        if (decoded) symbols.set(hash, encode(decoded, str));
      }
      for (const [file, p] of this.paths) if (!paths.has(file) && symbols.has(p[2])) paths.set(file, p);
    }
    if (!this.dir) return true;
    const data: CacheFile = {
      format: CACHE_FORMAT,
      fingerprint: this.fingerprint,
      savedAt: Date.now(),
      strings,
      symbols: Object.fromEntries(symbols),
      paths: Object.fromEntries(paths),
    };
    const target = path.join(this.dir, CACHE_FILE_NAME);
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      // The cache holds names and signatures of the user's code: readable by the user only.
      await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await fsp.writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
      await fsp.rename(tmp, target);
      return true;
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => {});
      this.log(`index cache not saved: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  /** Takes the parsed file's content, or says why it is unusable. */
  private adopt(data: unknown): string | undefined {
    if (typeof data !== 'object' || data === null) return 'not an object';
    const d = data as Partial<CacheFile>;
    if (d.format !== CACHE_FORMAT) return `format ${String(d.format)}, expected ${CACHE_FORMAT}`;
    if (d.fingerprint !== this.fingerprint) return 'extractor or grammars changed';
    if (!Array.isArray(d.strings) || !d.strings.every((s) => typeof s === 'string')) return 'bad string table';
    if (typeof d.symbols !== 'object' || d.symbols === null) return 'bad symbols';
    if (typeof d.paths !== 'object' || d.paths === null) return 'bad paths';
    this.strings = d.strings;
    for (const [hash, enc] of Object.entries(d.symbols)) {
      if (Array.isArray(enc)) this.loaded.set(hash, enc);
    }
    for (const [file, p] of Object.entries(d.paths)) {
      if (
        Array.isArray(p) &&
        p.length === 3 &&
        typeof p[0] === 'number' &&
        typeof p[1] === 'number' &&
        typeof p[2] === 'string' &&
        this.loaded.has(p[2])
      ) {
        this.paths.set(file, [p[0], p[1], p[2]]);
      }
    }
    return undefined;
  }

  /** Decodes one entry; undefined when anything in it is out of shape (treated as a miss). */
  private decode(enc: EncodedSymbols): FileSymbols | undefined {
    try {
      const [lang, errs, defs, imps, idents] = enc;
      const language = LANGUAGES[lang];
      if (language === undefined || (errs !== 0 && errs !== 1)) return undefined;
      if (!Array.isArray(defs) || defs.length % 6 !== 0 || !Array.isArray(imps) || !Array.isArray(idents)) {
        return undefined;
      }
      const s = (i: unknown): string => {
        const v = typeof i === 'number' ? this.strings[i] : undefined;
        if (v === undefined) throw new Error('bad string index');
        return v;
      };
      const line = (n: unknown): number => {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new Error('bad line');
        return n;
      };
      const definitions: SymbolDefinition[] = [];
      for (let i = 0; i < defs.length; i += 6) {
        const kind = KINDS[defs[i + 1]];
        if (kind === undefined) return undefined;
        const def: SymbolDefinition = {
          name: s(defs[i]),
          kind,
          startLine: line(defs[i + 2]),
          endLine: line(defs[i + 3]),
          signature: s(defs[i + 4]),
        };
        if (defs[i + 5] !== -1) def.container = s(defs[i + 5]);
        definitions.push(def);
      }
      const imports: ImportStatement[] = [];
      for (const imp of imps) {
        if (!Array.isArray(imp) || imp.length < 2) return undefined;
        imports.push({ source: s(imp[0]), line: line(imp[1]), names: imp.slice(2).map(s) });
      }
      return { language, definitions, imports, identifiers: idents.map(s), hasErrors: errs === 1 };
    } catch {
      return undefined;
    }
  }
}

function encode(symbols: FileSymbols, str: (s: string) => number): EncodedSymbols {
  const defs: number[] = [];
  for (const d of symbols.definitions) {
    defs.push(
      str(d.name),
      // -1 for a kind this table lacks: the entry then decodes as a miss instead of a wrong kind.
      KINDS.indexOf(d.kind),
      d.startLine,
      d.endLine,
      str(d.signature),
      d.container === undefined ? -1 : str(d.container),
    );
  }
  const imps = symbols.imports.map((i) => [str(i.source), i.line, ...i.names.map(str)]);
  return [
    LANGUAGES.indexOf(symbols.language),
    symbols.hasErrors ? 1 : 0,
    defs,
    imps,
    symbols.identifiers.map(str),
  ];
}
