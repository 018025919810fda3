// Renders the prompt for one completion request, laid out so that the llama worker's KV cache stays
// valid while the user types.
//
// The worker reuses the longest common token prefix with the previous prompt and re-evaluates the
// rest at ~255 tok/s on the target CPU. While the user types, only the text at the cursor changes,
// so everything that does not depend on the cursor goes first, in a stable order, and the only part
// after the cursor is a small suffix slot:
//
//   [repo header][context snippet blocks][far-suffix block][current file header][PRE][prefix window]
//   | cursor |[SUF][near suffix][MID]
//
// Exactly what is rendered (markers as in fimTemplates.ts; a snippet or far block that does not end
// in a line break gets one; BOS tokens are the backend's business):
// qwen:
//   <|repo_name|>{repoName}\n
//   <|file_sep|>{snippet.file}\n{snippet.text}\n              one per snippet, in the given order
//   <|file_sep|>{relativePath}\n{far suffix}\n                 if the far suffix is not blank
//   <|file_sep|>{relativePath}\n<|fim_prefix|>{prefix window}<|fim_suffix|>{near suffix}<|fim_middle|>
// starcoder2 (its paper's repo-level FIM format: no \n after the name, path inside the prefix slot):
//   <repo_name>{repoName}<file_sep>{file}\n{text}\n...<file_sep>{relativePath}\n{far}\n
//   <file_sep><fim_prefix>{relativePath}\n{prefix window}<fim_suffix>{near suffix}<fim_middle>
// deepseek, codellama (no repo tokens): context as line comments at the start of the prefix slot,
// still before the moving part:
//   <PRE>{// Path: file\n// text lines...}{// Path: relativePath (below the cursor)\n// far lines}
//        {// Path: relativePath\n}{prefix window}<SUF>{near suffix}<MID>
//   (the path lines appear only when there is at least one snippet or a far suffix)
// codestral (natively suffix-first): typing only appends to `[SUFFIX]s[PREFIX]p`, so the suffix slot
// takes the whole suffix budget (near + far) and there is no far block:
//   [SUFFIX]{suffix up to near+far budget}[PREFIX]{comment context}{prefix window}
//
// The prefix window starts on a coarse line grid (prefixWindow.ts). The near suffix runs from the
// cursor through the next line of real code (at most suffixTokens); the far suffix is the code from
// that line on (so that line may appear in both), up to farSuffixTokens; both cuts are pure functions
// of the text after the cursor and survive auto-closed brackets and Enter between braces
// (suffixWindow.ts). Snippets are truncated at whole
// lines to fit contextTokens. Identical input renders identical bytes.
//
// buildBaselinePsmPrompt renders the layout most peers use, for the benchmark: PRE + the last N
// tokens before the cursor (whole lines, sliding by one line as the window fills) + SUF + the first
// M tokens after the cursor (M = near + far budget) + MID, in the family's native order, no context.
import { commentLines, commentSyntax, type CommentSyntax } from '../syntax/languageSyntax';
import { renderFim } from './fimTemplates';
import { prefixWindowStart } from './prefixWindow';
import { splitSuffix, wholeLinesEnd, type SuffixSplit } from './suffixWindow';
import { tokenWeight } from '../kernel/tokenEstimate';
import type { BuiltPrompt, CompletionRequest, ContextSnippet, FimFamily, PromptBudgets } from '../kernel/completionTypes';
import { countLineBreaks } from '../kernel/textLines';
import { fimTemplate, type FimTemplate } from '../models/fimFamilies';

export interface PromptOptions {
  /** Shown in the repo-level header (`<|repo_name|>`); defaults to "workspace". */
  repoName?: string;
  /** Prefix-window grid in lines; defaults to the budget-derived grid of prefixWindow.ts. */
  prefixGridLines?: number;
  /** The windows, when the caller computed them already (promptWindow with the same budgets). */
  window?: PromptWindow;
}

/** Where a prompt's windows fall in the document; computed once per request (the keystroke path). */
export interface PromptWindow {
  /** Document offset where the prefix window starts. */
  prefixStart: number;
  /** Near and far suffix, for the families that put the suffix after the cursor. */
  split: SuffixSplit;
  /** End of the suffix for suffix-first families (the whole near + far budget in the slot). */
  suffixFirstEnd: number;
  /** 1-based lines the prompt carries, from the prefix window through the end of the suffix. */
  startLine: number;
  endLine: number;
}

const DEFAULT_REPO_NAME = 'workspace';
/** Below this many tokens left, a snippet is not worth its header. */
const MIN_SNIPPET_TOKENS = 8;

/** Accumulates prompt text and its token estimate; control markers count as one token each. */
class PromptText {
  text = '';
  weight = 0;
  control(marker: string): void {
    if (marker.length === 0) return;
    this.text += marker;
    this.weight += 1;
  }
  plain(content: string): void {
    this.text += content;
    this.weight += tokenWeight(content);
  }
}

export function buildPrompt(
  request: CompletionRequest,
  family: FimFamily,
  budgets: PromptBudgets,
  snippets: readonly ContextSnippet[],
  options: PromptOptions = {},
): BuiltPrompt {
  const template = fimTemplate(family);
  const { text, offset } = request;
  const { prefixStart, split, suffixFirstEnd } = options.window ?? promptWindow(request, budgets, options);
  const prefix = text.slice(prefixStart, offset);
  const out = new PromptText();

  if (template.suffixFirst) {
    const suffix = text.slice(offset, suffixFirstEnd);
    out.control(template.suffix);
    out.plain(suffix);
    out.control(template.prefix);
    out.plain(commentContext(request, snippets, '', budgets.contextTokens, commentSyntax(request.languageId)));
    out.plain(prefix);
    const cursorIndex = out.text.length;
    out.control(template.middle);
    return built(family, out, prefix, suffix, prefixStart, cursorIndex);
  }

  const near = text.slice(offset, split.nearEnd);
  const far = text.slice(split.farStart, split.farEnd);
  if (template.repo) {
    const repo = template.repo;
    out.control(repo.repoName);
    out.plain(`${options.repoName ?? DEFAULT_REPO_NAME}${repo.afterRepoName}`);
    for (const block of fitSnippets(snippets, budgets.contextTokens, (line) => line)) {
      out.control(repo.fileSep);
      out.plain(`${block.file}\n${block.text}`);
    }
    if (!isBlankText(far)) {
      out.control(repo.fileSep);
      out.plain(`${request.relativePath}\n${withFinalNewline(far)}`);
    }
    out.control(repo.fileSep);
    if (repo.currentPath === 'before-prefix-marker') {
      out.plain(`${request.relativePath}\n`);
      out.control(template.prefix);
    } else {
      out.control(template.prefix);
      out.plain(`${request.relativePath}\n`);
    }
  } else {
    out.control(template.prefix);
    out.plain(commentContext(request, snippets, far, budgets.contextTokens, commentSyntax(request.languageId)));
  }
  out.plain(prefix);
  const cursorIndex = out.text.length;
  out.control(template.suffix);
  out.plain(near);
  out.control(template.middle);
  return built(family, out, prefix, near, prefixStart, cursorIndex);
}

/**
 * The prompt's windows for a request. Their lines, for any family, are what retrieval leaves out of
 * the context block: the model sees them already, and they change with every keystroke.
 */
export function promptWindow(
  request: Pick<CompletionRequest, 'text' | 'offset'>,
  budgets: PromptBudgets,
  options: Pick<PromptOptions, 'prefixGridLines'> = {},
): PromptWindow {
  const { text, offset } = request;
  const prefixStart = prefixWindowStart(text, offset, budgets.prefixTokens, options.prefixGridLines);
  const split = splitSuffix(text, offset, budgets.suffixTokens, budgets.farSuffixTokens);
  const suffixFirstEnd = wholeLinesEnd(text, offset, budgets.suffixTokens + budgets.farSuffixTokens);
  const end = Math.max(split.nearEnd, split.farEnd, suffixFirstEnd);
  return {
    prefixStart,
    split,
    suffixFirstEnd,
    startLine: countLineBreaks(text, prefixStart) + 1,
    endLine: countLineBreaks(text, Math.max(prefixStart, end - 1)) + 1,
  };
}

/** Just the lines of promptWindow (for callers that build no prompt: Show Context, the CLI). */
export function promptWindowLines(
  request: Pick<CompletionRequest, 'text' | 'offset'>,
  budgets: PromptBudgets,
): { startLine: number; endLine: number } {
  const { startLine, endLine } = promptWindow(request, budgets);
  return { startLine, endLine };
}

export function buildBaselinePsmPrompt(
  request: CompletionRequest,
  family: FimFamily,
  budgets: PromptBudgets,
): BuiltPrompt {
  const template: FimTemplate = fimTemplate(family);
  const { text, offset } = request;
  // Grid of one line: the start slides line by line as the cursor moves on, as in peers.
  const prefixStart = prefixWindowStart(text, offset, budgets.prefixTokens, 1);
  const prefix = text.slice(prefixStart, offset);
  const suffix = text.slice(offset, wholeLinesEnd(text, offset, budgets.suffixTokens + budgets.farSuffixTokens));
  const rendered = renderFim(template, prefix, suffix);
  const markers = [template.prefix, template.suffix, template.middle].filter((m) => m.length > 0).length;
  const cursorIndex = template.suffixFirst
    ? rendered.length - template.middle.length
    : template.prefix.length + prefix.length;
  return {
    family,
    text: rendered,
    prefix,
    suffix,
    prefixStart,
    estimatedTokens: Math.ceil(markers + tokenWeight(prefix) + tokenWeight(suffix)),
    cursorIndex,
  };
}

function built(
  family: FimFamily,
  out: PromptText,
  prefix: string,
  suffix: string,
  prefixStart: number,
  cursorIndex: number,
): BuiltPrompt {
  return { family, text: out.text, prefix, suffix, prefixStart, estimatedTokens: Math.ceil(out.weight), cursorIndex };
}

interface SnippetBlock {
  file: string;
  /** Snippet text cut to whole lines, ending with a newline. */
  text: string;
}

/**
 * Snippets in the given order, each cut at whole lines so that all blocks together fit `budget`
 * (the per-block header counted). Stops at the first snippet that has no room left.
 * `renderLine` is how a line will appear in the prompt, so that comment markers are budgeted too.
 */
function fitSnippets(
  snippets: readonly ContextSnippet[],
  budget: number,
  renderLine: (line: string) => string,
  headerOf: (file: string) => string = (file) => `${file}\n`,
): SnippetBlock[] {
  const blocks: SnippetBlock[] = [];
  let left = budget;
  for (const snippet of snippets) {
    const headerWeight = tokenWeight(headerOf(snippet.file)) + 1;
    if (left - headerWeight < MIN_SNIPPET_TOKENS) break;
    let room = left - headerWeight;
    let kept = '';
    const source = withFinalNewline(snippet.text);
    let start = 0;
    while (start < source.length) {
      const end = source.indexOf('\n', start) + 1;
      const line = source.slice(start, end);
      const weight = tokenWeight(renderLine(line));
      if (weight > room) break;
      room -= weight;
      kept += line;
      start = end;
    }
    if (isBlankText(kept)) break;
    blocks.push({ file: snippet.file, text: kept });
    left = room;
  }
  return blocks;
}

/** Context for families without repo tokens: comment lines placed at the start of the prefix slot. */
function commentContext(
  request: CompletionRequest,
  snippets: readonly ContextSnippet[],
  far: string,
  contextBudget: number,
  syntax: CommentSyntax,
): string {
  const renderLine = (line: string) => commentLines(line, syntax);
  const header = (label: string) => commentLines(`Path: ${label}`, syntax);
  let out = '';
  for (const block of fitSnippets(snippets, contextBudget, renderLine, header)) {
    out += header(block.file) + commentLines(block.text, syntax);
  }
  if (!isBlankText(far)) out += header(`${request.relativePath} (below the cursor)`) + commentLines(far, syntax);
  if (out.length > 0) out += header(request.relativePath);
  return out;
}

function withFinalNewline(s: string): string {
  return s.length === 0 || s.endsWith('\n') ? s : `${s}\n`;
}

function isBlankText(s: string): boolean {
  return s.trim().length === 0;
}
