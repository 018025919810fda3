// Feeds retrieval into the completion engine (its ContextSource), and decides when the context block
// may change.
//
// Any change to the context block costs the model a re-read of everything after it: the far suffix
// and the whole prefix window, over a thousand tokens, seconds on a laptop CPU. Measured on the
// benchmark's typing traces, re-retrieving on every keystroke changed the block 32 times in 647
// keystrokes (identifiers completing on the line being typed, candidates trading places at the
// budget's edge), and those re-reads dominated the slowest suggestions. So the block is chosen once
// per line: while the cursor stays on the same line of the same file, with the same prompt window
// and budget, the adopted snippets are sent again without asking the worker; moving to another line
// (Enter, a click), another file, a window jump (the prompt is re-read then anyway) or an explicit
// request retrieves afresh. A retrieval that fails, or takes longer than the deadline (the worker is
// busy with a big file), leaves the previous snippets for the same file in place rather than none:
// an empty block would throw the cached one away too.

import type { CompletionRequest, ContextSnippet } from '../kernel/completionTypes';
import type { ContextRequest, ContextResult, ContextSource, VisibleLines } from './contextTypes';
import { countLineBreaks } from '../kernel/textLines';

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

const EMPTY: ContextResult = { snippets: [], tokens: 0 };

interface Adopted {
  /** What the block was chosen for: file, cursor line, prompt window start, budget. */
  key: string;
  file: string;
  result: ContextResult;
}

export class CompletionContext implements ContextSource {
  private adopted: Adopted | undefined;
  private readonly deadlineMs: number;

  constructor(private readonly options: CompletionContextOptions) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_CONTEXT_DEADLINE_MS;
  }

  async snippets(
    request: CompletionRequest,
    budgetTokens: number,
    signal: AbortSignal,
    visibleLines: VisibleLines,
    speculative = false,
  ): Promise<ContextSnippet[]> {
    const result = await this.resultFor(contextRequestOf(request, budgetTokens, visibleLines), request.explicit, signal, !speculative);
    return result.snippets.map(({ file, startLine, endLine, text, reason }) => ({ file, startLine, endLine, text, reason }));
  }

  /**
   * The context a completion at this request would carry, with token counts and reasons: the adopted
   * block when the cursor hasn't left its line, else a fresh retrieval ("Show Context at Cursor").
   * `adopt` false (a prefetch for a document the user has not reached) leaves the adopted block as
   * it is, so the user's own line keeps its context if they never get there. `deadlineMs` replaces the
   * completion's short deadline when someone waits for the answer itself (Show Context at Cursor).
   */
  async resultFor(request: ContextRequest, fresh = false, signal?: AbortSignal, adopt = true, deadlineMs = this.deadlineMs): Promise<ContextResult> {
    const retriever = this.options.retriever();
    if (!retriever) return EMPTY;
    const key = adoptionKey(request);
    if (!fresh && this.adopted?.key === key) return this.adopted.result;
    const fallback = this.adopted?.file === request.file ? this.adopted.result : EMPTY;

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    try {
      const result = await Promise.race([retriever.retrieve(request, signal), deadline]);
      if (result === 'late') {
        this.options.log?.(`context retrieval took over ${deadlineMs} ms; using the previous context`);
        return fallback;
      }
      if (adopt) this.adopted = { key, file: request.file, result };
      return result;
    } catch (error) {
      if (!signal?.aborted) this.options.log?.(`context retrieval failed: ${(error as Error).message}`);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forget the adopted block (the index was rebuilt, settings changed). */
  reset(): void {
    this.adopted = undefined;
  }
}

export function contextRequestOf(request: CompletionRequest, budgetTokens: number, visibleLines: VisibleLines): ContextRequest {
  return {
    file: request.relativePath,
    languageId: request.languageId,
    text: request.text,
    offset: request.offset,
    budgetTokens,
    visibleLines,
  };
}

function adoptionKey(request: ContextRequest): string {
  const line = countLineBreaks(request.text, request.offset);
  return `${request.file}\u0000${line}\u0000${request.visibleLines?.startLine ?? 0}\u0000${request.budgetTokens}`;
}
