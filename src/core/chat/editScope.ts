// Which files an "Edit Across Files" request shows the model whole (so it can copy exact SEARCH
// lines and the edits can be checked against them) and which only as excerpts: the active file
// first, then the files codebase search ranked, whole while they fit the budget.
import { estimateTokens } from '../kernel/tokenEstimate';
import type { PromptFile, PromptSnippet } from './taskPrompts';

export interface EditScope {
  files: PromptFile[];
  /** Excerpts of files not shown whole. */
  context: PromptSnippet[];
  tokens: number;
}

export interface EditScopeOptions {
  activeFile?: PromptFile;
  budgetTokens: number;
  /** Most files shown whole. */
  maxFiles?: number;
}

export async function scopeEditFiles(
  ranked: readonly PromptSnippet[],
  read: (path: string) => Promise<string | undefined>,
  options: EditScopeOptions,
): Promise<EditScope> {
  const maxFiles = options.maxFiles ?? 8;
  const files: PromptFile[] = [];
  let tokens = 0;
  const take = (file: PromptFile): boolean => {
    const cost = estimateTokens(file.text) + 16;
    if (files.length >= maxFiles || tokens + cost > options.budgetTokens) return false;
    files.push(file);
    tokens += cost;
    return true;
  };
  if (options.activeFile) take(options.activeFile);
  // The active file's text is the caller's (an editor buffer may differ from disk): never read it again.
  const tried = new Set(options.activeFile ? [options.activeFile.path] : []);
  // A file `read` refuses (excluded, secret-looking, gone since indexing) is not shown in excerpts either.
  const unreadable = new Set<string>();
  for (const snippet of ranked) {
    if (tried.has(snippet.file)) continue;
    tried.add(snippet.file);
    const text = await read(snippet.file);
    if (text === undefined) unreadable.add(snippet.file);
    else take({ path: snippet.file, text });
  }
  const whole = new Set(files.map((f) => f.path));
  const context: PromptSnippet[] = [];
  for (const snippet of ranked) {
    if (whole.has(snippet.file) || unreadable.has(snippet.file)) continue;
    const cost = estimateTokens(snippet.text) + 16;
    if (tokens + cost > options.budgetTokens) continue;
    context.push(snippet);
    tokens += cost;
  }
  return { files, context, tokens };
}
