// The recall benchmark's baseline: "similar snippets" retrieval as Continue and Copilot do it, over
// EVERY file of the workspace (not only open editors, as Bantam's own similar-code source does):
// 20-line windows of all files ranked by Jaccard similarity of their identifier sets with the 20
// lines above the cursor (src/core/context/similarCode.ts's scoring), packed best first into the same
// token budget with the same per-snippet overhead as retrieval. No parser, no imports, no index.
import type { ContextSnippet } from '../src/core/kernel/completionTypes';
import { packSnippets } from '../src/core/context/budgetPacker';
import { snippetOverheadTokens } from '../src/core/context/retrieval';
import { SimilarCodeIndex } from '../src/core/context/similarCode';

/** Windows considered per query: far more than any budget here holds. */
const MAX_WINDOWS = 64;

export class JaccardBaseline {
  private readonly index = new SimilarCodeIndex();

  constructor(files: ReadonlyMap<string, string>) {
    for (const [file, text] of files) this.index.update(file, text);
  }

  /**
   * Snippets for a cursor at the end of `text` in `file` (the file as typed so far replaces its disk
   * copy for this query), one list per budget.
   */
  retrieve(file: string, text: string, diskText: string, budgets: readonly number[]): ContextSnippet[][] {
    this.index.update(file, text);
    try {
      // Any shared word counts: the budget, not a threshold, decides how much is sent.
      const windows = this.index.query(text, file, { maxResults: MAX_WINDOWS, minScore: Number.MIN_VALUE });
      const scored = windows.map((w, rank) => ({ ...w, score: windows.length - rank }));
      return budgets.map((budget) => packSnippets(scored, budget, { overheadTokens: snippetOverheadTokens }).snippets);
    } finally {
      this.index.update(file, diskText);
    }
  }
}
