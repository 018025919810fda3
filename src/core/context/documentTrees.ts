// One live parse tree per open document, re-parsed incrementally as the user types: the edit is
// found by diffing the old and new text (common prefix and suffix), so callers only hand over the
// new text, and tree-sitter re-parses only what changed (1-5 ms instead of a full parse). Trees
// live in WASM memory that never shrinks, so only the most recently used documents keep one.
import { Edit, type Point, type Tree } from 'web-tree-sitter';
import type { ContextLanguage } from './contextTypes';
import type { LoadedLanguage, TreeSitterRuntime } from './treeSitterRuntime';

/**
 * A document's current tree. Valid until the next parse, close, rename or eviction of the same
 * document (its tree is then edited or deleted): use it right away, don't keep it.
 */
export interface ParsedDocument {
  file: string;
  language: ContextLanguage;
  text: string;
  tree: Tree;
  loaded: LoadedLanguage;
}

export interface DocumentTreesOptions {
  /** Trees kept at most; the least recently parsed beyond this are deleted. */
  maxDocuments?: number;
}

export class DocumentTrees {
  // Map iteration order is insertion order: re-inserting on every parse makes it an LRU list.
  private readonly documents = new Map<string, ParsedDocument>();
  private readonly maxDocuments: number;

  constructor(
    private readonly runtime: TreeSitterRuntime,
    { maxDocuments = 20 }: DocumentTreesOptions = {},
  ) {
    this.maxDocuments = Math.max(1, maxDocuments);
  }

  get size(): number {
    return this.documents.size;
  }

  /** The tree for `text`, re-using (and editing) the document's previous tree when there is one. */
  async parse(file: string, language: ContextLanguage, text: string): Promise<ParsedDocument> {
    const loaded = await this.runtime.load(language);
    // Read after the await: another parse of the same file may have finished meanwhile.
    const previous = this.documents.get(file);
    this.documents.delete(file);
    let tree: Tree | null;
    if (previous && previous.language === language) {
      if (previous.text === text) {
        this.documents.set(file, previous);
        return previous;
      }
      previous.tree.edit(textEdit(previous.text, text));
      tree = loaded.parser.parse(text, previous.tree);
      previous.tree.delete();
    } else {
      previous?.tree.delete();
      tree = loaded.parser.parse(text);
    }
    if (!tree) throw new Error(`Tree-sitter could not parse ${file}: it was cancelled or timed out.`);
    const parsed: ParsedDocument = { file, language, text, tree, loaded };
    this.documents.set(file, parsed);
    this.evict();
    return parsed;
  }

  /** The document's last parse, if it still has a tree. Does not count as a use. */
  get(file: string): ParsedDocument | undefined {
    return this.documents.get(file);
  }

  close(file: string): void {
    const parsed = this.documents.get(file);
    if (!parsed) return;
    parsed.tree.delete();
    this.documents.delete(file);
  }

  rename(from: string, to: string): void {
    const parsed = this.documents.get(from);
    if (!parsed || from === to) return;
    this.close(to);
    this.documents.delete(from);
    this.documents.set(to, { ...parsed, file: to });
  }

  dispose(): void {
    for (const parsed of this.documents.values()) parsed.tree.delete();
    this.documents.clear();
  }

  private evict(): void {
    for (const [file, parsed] of this.documents) {
      if (this.documents.size <= this.maxDocuments) break;
      parsed.tree.delete();
      this.documents.delete(file);
    }
  }
}

/**
 * The single edit that turns `oldText` into `newText`: everything between their common prefix
 * and common suffix. Indices and columns are UTF-16 code units, as web-tree-sitter counts them
 * for string input; a surrogate pair is never split.
 */
export function textEdit(oldText: string, newText: string): Edit {
  const shorter = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(oldText.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const maxSuffix = shorter - prefix;
  while (
    suffix < maxSuffix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  ) {
    suffix++;
  }
  if (suffix > 0 && isLowSurrogate(newText.charCodeAt(newText.length - suffix))) suffix--;
  const oldEnd = oldText.length - suffix;
  const newEnd = newText.length - suffix;
  const startPosition = pointAt(oldText, prefix, 0, { row: 0, column: 0 });
  return new Edit({
    startIndex: prefix,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAt(oldText, oldEnd, prefix, startPosition),
    newEndPosition: pointAt(newText, newEnd, prefix, startPosition),
  });
}

/** The row/column of `index`, counting on from a known point at `fromIndex`. */
function pointAt(text: string, index: number, fromIndex: number, from: Point): Point {
  let row = from.row;
  let lineStart = fromIndex - from.column;
  for (let newline = text.indexOf('\n', fromIndex); newline >= 0 && newline < index; newline = text.indexOf('\n', newline + 1)) {
    row++;
    lineStart = newline + 1;
  }
  return { row, column: index - lineStart };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
