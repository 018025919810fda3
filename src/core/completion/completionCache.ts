// Answers that need no model call:
//   typing-through  the suggestion last shown in a document, while the user types its first
//                   characters (or backspaces back toward where it was shown): the rest of it.
//   prompt LRU      earlier results keyed by a hash of the exact prompt text (null = "the model had
//                   nothing useful", which is worth remembering too).
// A prefetched suggestion (computed as soon as a suggestion is shown) lands in the prompt LRU too.
// A suggestion may replace the rest of its line (closers it writes again); typing through it keeps
// that: the rest still replaces the same characters after the cursor.
// Typing-through is O(characters typed): it never compares whole documents. It remembers the cursor
// offset and document length when the suggestion was shown plus a short window of text on each side;
// a later request matches when the length grew by exactly the typed characters, the typed
// characters are the suggestion's first ones, and both windows are unchanged. (An edit elsewhere
// that keeps the length and misses both windows would slip through; the cost is one stale ghost text
// that the next real request replaces.)
import { createHash } from 'node:crypto';
import type { ShapedSuggestion } from './postprocess';
import type { CompletionRequest } from '../kernel/completionTypes';

export interface CompletionCacheOptions {
  /** Prompt results kept (least recently used goes first). */
  maxEntries?: number;
  /** Documents whose last shown suggestion is remembered. */
  maxDocuments?: number;
}

interface ShownEntry {
  /** Cursor offset when the suggestion was shown. */
  anchor: number;
  docLength: number;
  /** Text just before the anchor and just after it, at show time. */
  before: string;
  after: string;
  suggestion: string;
  /** Characters after the cursor the suggestion replaces. */
  replaceLength: number;
}

const WINDOW_CHARS = 64;

export class CompletionCache {
  private readonly maxEntries: number;
  private readonly maxDocuments: number;
  private readonly shown = new Map<string, ShownEntry>();
  private readonly results = new Map<string, ShapedSuggestion | null>();

  constructor(options: CompletionCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 128);
    this.maxDocuments = Math.max(1, options.maxDocuments ?? 32);
  }

  /** Remember `suggestion` as shown at the request's cursor. */
  rememberShown(request: CompletionRequest, shown: ShapedSuggestion): void {
    const suggestion = shown.text;
    // A suggestion that is itself the rest of the remembered one (typed through) keeps the original
    // anchor, so backspacing to where it was first shown still matches.
    if (suggestion.length === 0 || this.typedThrough(request)?.text === suggestion) return;
    const { text, offset } = request;
    this.shown.delete(request.uri);
    this.shown.set(request.uri, {
      anchor: offset,
      docLength: text.length,
      before: text.slice(Math.max(0, offset - WINDOW_CHARS), offset),
      after: text.slice(offset, offset + WINDOW_CHARS),
      suggestion,
      replaceLength: shown.replaceLength,
    });
    if (this.shown.size > this.maxDocuments) this.shown.delete(this.shown.keys().next().value as string);
  }

  /** The rest of the shown suggestion if the user typed (or backspaced) along it; else undefined. */
  typedThrough(request: CompletionRequest): ShapedSuggestion | undefined {
    const entry = this.shown.get(request.uri);
    if (!entry) return undefined;
    const { text, offset } = request;
    const typed = offset - entry.anchor;
    if (typed < 0 || typed >= entry.suggestion.length) return undefined;
    if (text.length !== entry.docLength + typed) return undefined;
    if (!text.startsWith(entry.before, entry.anchor - entry.before.length)) return undefined;
    for (let i = 0; i < typed; i++) {
      if (text.charCodeAt(entry.anchor + i) !== entry.suggestion.charCodeAt(i)) return undefined;
    }
    if (!text.startsWith(entry.after, offset)) return undefined;
    const rest = entry.suggestion.slice(typed);
    return rest.trim().length === 0 ? undefined : { text: rest, replaceLength: entry.replaceLength };
  }

  /** The user accepted the suggestion shown in `uri`: it is consumed, stop typing through it. */
  recordAccepted(uri: string): void {
    this.shown.delete(uri);
  }

  /** Cached result for this exact prompt: a string, null (known empty), or undefined (unknown). */
  get(promptText: string): ShapedSuggestion | null | undefined {
    const key = promptKey(promptText);
    if (!this.results.has(key)) return undefined;
    const value = this.results.get(key)!;
    this.results.delete(key);
    this.results.set(key, value);
    return value;
  }

  set(promptText: string, completion: ShapedSuggestion | null): void {
    const key = promptKey(promptText);
    this.results.delete(key);
    this.results.set(key, completion);
    while (this.results.size > this.maxEntries) this.results.delete(this.results.keys().next().value as string);
  }

  size(): number {
    return this.results.size;
  }

  /** Forget a closed document's shown suggestion. */
  forget(uri: string): void {
    this.shown.delete(uri);
  }

  clear(): void {
    this.shown.clear();
    this.results.clear();
  }
}

/** Hash of a prompt used as cache key: prompts are kilobytes, keys should not be. */
export function promptKey(promptText: string): string {
  return createHash('sha1').update(promptText).digest('base64');
}
