// What is written under an answer once it has streamed: how it ended when it ended early, the
// excerpts it was given and how they were picked, the router's notices, and who answered at what
// cost. The answer view shows it as markdown; `bantam ask` tells the same on stderr.
import type { CodebaseAnswerContext } from '../context/contextTypes';
import type { FinishReason } from '../kernel/chatTypes';
import type { RoutedResult } from '../routing/router';
import type { RoutingLog } from '../routing/routingLog';
import type { PromptSnippet } from './taskPrompts';

/** Sets the footer off from the answer in the answer view. */
const RULE = '\n\n---\n';

/** Why an answer ended before it was whole, to finish "the answer …"; undefined when nothing was cut. */
export function cutShort(finishReason: FinishReason): string | undefined {
  if (finishReason === 'length') return 'reached its token limit (bantam.routing.maxAnswerTokens)';
  if (finishReason === 'timeout') return 'timed out';
  return undefined;
}

/** The answer view's footer; `sources` is the Sources section (sourcesSection), when the task had one. */
export function answerFooter(result: RoutedResult, sources = RULE): string {
  const cut =
    result.finishReason === 'abort'
      ? '\n_Stopped._\n'
      : result.finishReason === 'length'
        ? '\n_The answer reached the token limit._\n'
        : result.finishReason === 'timeout'
          ? '\n_The answer timed out._\n'
          : '';
  const notices = result.notices.length ? `\n${result.notices.map((n) => `> ${n}`).join('\n')}\n` : '';
  const by = `_Answered by ${result.provider} (${result.model}), ${result.tier} tier, ${result.usage.inputTokens} tokens in, ${result.usage.outputTokens} out, ${Math.round(result.totalMs)} ms._`;
  return `${cut}${sources}${notices}\n${by}\n`;
}

/** The answer view's footer when no answer came: why (cancelled, or the error). */
export function stoppedFooter(message?: string): string {
  return `${RULE}_${message ?? 'Cancelled.'}_\n`;
}

/** The Sources section of a question's answer: how the excerpts were picked, then each one. */
export function sourcesSection(search: CodebaseAnswerContext | undefined, used: readonly PromptSnippet[]): string {
  if (!search) return `${RULE}The workspace index is not available, so the question went without code excerpts.\n`;
  const how = `Picked ${used.length} excerpt(s) from ${fileCount(used)} file(s) out of ${search.filesConsidered} indexed, by matching the question's terms (${termsOf(search)}) against definition names and paths, then following imports.`;
  return `${RULE}### Sources\n${how}\n\n${used.map((s) => `- ${where(s)} — ${s.reason}`).join('\n')}\n`;
}

/** The same account for a terminal (`bantam ask` writes it to stderr), one line per excerpt. */
export function excerptReport(search: CodebaseAnswerContext | undefined, used: readonly PromptSnippet[], indexedFiles: number): string {
  const head = `bantam: ${used.length} excerpt(s) from ${fileCount(used)} of ${indexedFiles} indexed files (terms: ${termsOf(search)})\n`;
  return head + used.map((s) => `  ${where(s)}  ${s.reason}\n`).join('');
}

function fileCount(used: readonly PromptSnippet[]): number {
  return new Set(used.map((s) => s.file)).size;
}

function termsOf(search: CodebaseAnswerContext | undefined): string {
  return search?.terms.join(', ') || 'none';
}

function where(s: PromptSnippet): string {
  return `${s.file}:${s.startLine}-${s.endLine}`;
}

/** `bantam`'s line on stderr after a routed request: who answered, tokens, time, estimated cost. */
export function routeSummary(log: RoutingLog): string {
  const last = log.entries().at(-1);
  if (!last) return '';
  const cost = last.costUsd === null ? 'cost unknown' : `~$${last.costUsd.toFixed(4)}`;
  return `bantam: ${last.provider} (${last.model}), ${last.tier}, ${last.inputTokens} tokens in, ${last.outputTokens} out, ${Math.round(last.latencyMs)} ms, ${cost}\n`;
}
