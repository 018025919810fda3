// Fits one chat turn's prompt into the room the model that gets it has (the Router's `build(room)`).
// What matters most goes in first: the question (never dropped), then the context the user attached
// (chips; a snippet too big for the room is cut to the lines that fit), then @codebase excerpts
// within what is left, then the conversation's earlier turns, newest first, until the room is used.
// Earlier turns are sent as text only: the code they carried was for their question, and sending
// it again would crowd out the context of this one.
import { estimateTokens as defaultEstimate } from '../kernel/tokenEstimate';
import type { ChatMessage } from '../kernel/chatTypes';
import { estimateMessages } from '../kernel/messageTokens';
import type { TurnView } from './chatProtocol';
import { fitToRoom, QUESTION_CONTEXT_TOKENS } from './promptBudget';
import { buildAnswerMessages, renderSnippets, type AnswerPromptInput, type AnswerTaskKind, type PromptSnippet } from './taskPrompts';

/** Finds @codebase excerpts for the question within a token budget. */
export type SnippetResolver = (question: string, budgetTokens: number) => Promise<PromptSnippet[]>;

export interface ChatPromptRequest {
  kind: AnswerTaskKind;
  question: string;
  /** The attached chips' snippets, in the order the chips were added. */
  snippets: readonly PromptSnippet[];
  /** One per @codebase chip. */
  resolvers: readonly SnippetResolver[];
  /** The conversation's earlier turns, oldest first (not including this question). */
  earlier: readonly TurnView[];
  /** Prompt tokens the model has. */
  room: number;
  estimateTokens?: (text: string) => number;
  log?: (message: string) => void;
}

export interface ChatPrompt {
  input: AnswerPromptInput;
  /** Every snippet sent (chips', then @codebase's). */
  context: PromptSnippet[];
  /** For the user: context that was cut or left out, or could not be gathered. */
  notes: string[];
}

export async function fitChatPrompt(request: ChatPromptRequest): Promise<ChatPrompt> {
  const estimate = request.estimateTokens ?? ((text: string) => defaultEstimate(text));
  const cost = (messages: readonly ChatMessage[]) => estimateMessages(messages, estimate);
  const { kind, question, room } = request;
  const build = (context: readonly PromptSnippet[], history: readonly ChatMessage[] = []) =>
    buildAnswerMessages({ kind, question, context, history });
  const notes: string[] = [];

  // Attached snippets, in order, each whole or cut to the lines that fit. Measured on the whole
  // prompt (a few chips, so a few renders): a snippet's share depends on what it joins.
  const attached: PromptSnippet[] = [];
  const fits = (snippet: PromptSnippet) => cost(build([...attached, snippet])) <= room;
  for (const snippet of request.snippets) {
    if (fits(snippet)) {
      attached.push(snippet);
      continue;
    }
    const cut = cutToFit(snippet, fits);
    if (cut) {
      attached.push(cut);
      notes.push(`${snippet.file} was cut to lines ${cut.startLine}-${cut.endLine} to fit the model's prompt.`);
    } else {
      notes.push(`${snippet.file}:${snippet.startLine}-${snippet.endLine} was left out: it does not fit the model's prompt.`);
    }
  }

  // @codebase excerpts within what the question and the attached code leave.
  const found: PromptSnippet[] = [];
  if (request.resolvers.length) {
    let budget = fitToRoom(QUESTION_CONTEXT_TOKENS, room - cost(build(attached)));
    if (budget <= 0) notes.push('@codebase was left out: the attached code fills the model\'s prompt.');
    for (const resolve of request.resolvers) {
      if (budget <= 0) break;
      let snippets: PromptSnippet[];
      try {
        snippets = await resolve(question, budget);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        request.log?.(`chat: @codebase search failed: ${message}`);
        notes.push(`@codebase excerpts could not be gathered (${message.replace(/[.\s]+$/, '')}), so the question was sent without them.`);
        continue;
      }
      // The resolver is asked to keep within the budget; what it returns beyond it is not sent.
      for (const snippet of snippets) {
        const c = snippetCost(snippet, estimate);
        if (c > budget) break;
        found.push(snippet);
        budget -= c;
      }
    }
  }
  const context = [...attached, ...found];

  // Earlier turns, newest first, while they fit: a question with its answer, or neither.
  const pairs = exchanges(request.earlier);
  let historyRoom = room - cost(build(context));
  let kept = 0;
  for (let i = pairs.length - 1; i >= 0; i--) {
    const c = cost(pairs[i]!);
    if (c > historyRoom) break;
    historyRoom -= c;
    kept++;
  }
  let history = pairs.slice(pairs.length - kept);

  // The sums above are estimates of parts; the whole is checked and trimmed until it fits, in the
  // reverse order of importance. The question alone is sent even if it does not fit: the router
  // then says so or finds a model it fits.
  while (cost(build(context, history.flat())) > room) {
    if (history.length) {
      history = history.slice(1);
      continue;
    }
    const dropped = found.length ? found.pop()! : context.at(-1);
    if (!dropped) break;
    context.splice(context.lastIndexOf(dropped), 1);
    notes.push(`${dropped.file}:${dropped.startLine}-${dropped.endLine} was left out: it does not fit the model's prompt.`);
  }
  if (history.length < pairs.length) request.log?.(`chat: ${pairs.length - history.length} earlier exchange(s) left out to fit ${room} tokens`);
  return { input: { kind, question, context, history: history.flat() }, context, notes };
}

/** Tokens one snippet adds to the prompt (rendered, plus the blank line joining it to the next). */
function snippetCost(snippet: PromptSnippet, estimate: (text: string) => number): number {
  return estimate(renderSnippets([snippet])) + 1;
}

/** The snippet's first lines that still fit, or undefined when not even one does. */
function cutToFit(snippet: PromptSnippet, fits: (snippet: PromptSnippet) => boolean): PromptSnippet | undefined {
  const lines = snippet.text.split('\n');
  const withLines = (n: number): PromptSnippet => ({
    ...snippet,
    text: lines.slice(0, n).join('\n'),
    endLine: snippet.startLine + n - 1,
    reason: `${snippet.reason}, cut to fit`,
  });
  // Binary search on the line count: the cost grows with it.
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(withLines(mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? withLines(lo) : undefined;
}

/** Earlier turns as question/answer message pairs; an exchange whose answer has no text is left out. */
function exchanges(turns: readonly TurnView[]): ChatMessage[][] {
  const pairs: ChatMessage[][] = [];
  for (let i = 0; i + 1 < turns.length; i++) {
    const user = turns[i]!;
    const answer = turns[i + 1]!;
    if (user.role !== 'user' || answer.role !== 'assistant') continue;
    i++;
    if (!answer.text.trim()) continue;
    // A question asked only through its chips ("Ask About Selection") still needs words here.
    const about = (user.chips ?? []).map((c) => c.label).join(', ');
    const question = user.text.trim() ? user.text : `(a question about ${about || 'the selected code'})`;
    pairs.push([
      { role: 'user', content: question },
      { role: 'assistant', content: answer.text },
    ]);
  }
  return pairs;
}
