// Feeds retrieval into the completion engine (its ContextSource): turns a completion request into a
// context request, asks the index worker, and never lets context cost a suggestion. A retrieval that
// fails, or takes longer than the deadline (the worker is busy with a big file), yields the last
// snippets retrieved for the same file rather than none: the context block then stays the same bytes
// and the model's KV cache of it survives, which an empty block would throw away.

import type { ContextSource, VisibleLines } from '../completion/engine';
import type { CompletionRequest, ContextSnippet } from '../completion/types';
import type { ContextRequest, ContextResult } from './contextTypes';

/** Whatever answers context requests: the index client (worker thread) or a ContextWorkspace in-process. */
export interface ContextRetriever {
  retrieve(request: ContextRequest, signal?: AbortSignal): Promise<ContextResult>;
}

export interface CompletionContextOptions {
  retriever: () => ContextRetriever | undefined;
  /** Longest wait for retrieval before the last result stands in (ms). */
  deadlineMs?: number;
  log?: (message: string) => void;
}

/** Retrieval is measured at a few ms; past this the worker is busy and the suggestion must not wait. */
export const DEFAULT_CONTEXT_DEADLINE_MS = 60;

export class CompletionContext implements ContextSource {
  private last: { file: string; snippets: ContextSnippet[] } | undefined;
  private readonly deadlineMs: number;

  constructor(private readonly options: CompletionContextOptions) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_CONTEXT_DEADLINE_MS;
  }

  async snippets(
    request: CompletionRequest,
    budgetTokens: number,
    signal: AbortSignal,
    visibleLines: VisibleLines,
  ): Promise<ContextSnippet[]> {
    const retriever = this.options.retriever();
    if (!retriever) return [];
    const fallback = this.last?.file === request.relativePath ? this.last.snippets : [];
    const contextRequest: ContextRequest = {
      file: request.relativePath,
      languageId: request.languageId,
      text: request.text,
      offset: request.offset,
      budgetTokens,
      visibleLines,
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.deadlineMs);
    });
    try {
      const result = await Promise.race([retriever.retrieve(contextRequest, signal), deadline]);
      if (result === 'late') {
        this.options.log?.(`context retrieval took over ${this.deadlineMs} ms; using the previous context`);
        return fallback;
      }
      const snippets = result.snippets.map(({ file, startLine, endLine, text, reason }) => ({
        file,
        startLine,
        endLine,
        text,
        reason,
      }));
      this.last = { file: request.relativePath, snippets };
      return snippets;
    } catch (error) {
      if (!signal.aborted) this.options.log?.(`context retrieval failed: ${(error as Error).message}`);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}
