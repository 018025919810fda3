// Tests for what is written under an answer: how an answer that ended early says so (in the answer
// view, in the CLI's and the edit plan's sentences), the router's notices and who answered, the
// Sources section of a question (and its word when the index was unavailable), and the CLI's
// one-line-per-excerpt account of the same.
import * as assert from 'node:assert/strict';
import { answerFooter, cutShort, excerptReport, sourcesSection, stoppedFooter } from '../../../src/core/chat/answerFooter';
import type { PromptSnippet } from '../../../src/core/chat/taskPrompts';
import type { CodebaseAnswerContext } from '../../../src/core/context/contextTypes';
import type { FinishReason } from '../../../src/core/kernel/chatTypes';
import type { RoutedResult } from '../../../src/core/routing/router';

function result(finishReason: FinishReason, notices: string[] = []): RoutedResult {
  return {
    text: 'The total is in cart.ts.',
    usage: { inputTokens: 120, outputTokens: 30, estimated: false },
    finishReason,
    model: 'claude-x',
    ttftMs: 5,
    totalMs: 812.6,
    attempts: 1,
    tier: 'frontier',
    provider: 'anthropic',
    decision: { tier: 'frontier', reason: 'default for the task' },
    notices,
  };
}

const USED: PromptSnippet[] = [
  { file: 'src/cart.ts', startLine: 1, endLine: 9, text: '…', reason: 'defines Cart' },
  { file: 'src/cart.ts', startLine: 20, endLine: 24, text: '…', reason: 'defines total' },
  { file: 'src/price.ts', startLine: 3, endLine: 5, text: '…', reason: 'imported by src/cart.ts' },
];
const SEARCH: CodebaseAnswerContext = { snippets: [], filesConsidered: 42, terms: ['cart', 'total'], truncated: false, tokens: 0 };
const BY = '\n_Answered by anthropic (claude-x), frontier tier, 120 tokens in, 30 out, 813 ms._\n';

describe('answerFooter', () => {
  const cases: { reason: FinishReason; cut: string; short?: string }[] = [
    { reason: 'stop', cut: '' },
    { reason: 'abort', cut: '\n_Stopped._\n' },
    { reason: 'length', cut: '\n_The answer reached the token limit._\n', short: 'reached its token limit (bantam.routing.maxAnswerTokens)' },
    { reason: 'timeout', cut: '\n_The answer timed out._\n', short: 'timed out' },
  ];
  for (const c of cases) {
    it(`an answer that ended with '${c.reason}' says so${c.cut ? '' : ' not at all'}`, () => {
      assert.equal(answerFooter(result(c.reason)), `${c.cut}\n\n---\n${BY}`);
      assert.equal(cutShort(c.reason), c.short);
    });
  }

  it('puts the sources under the rule, then the router\'s notices as quotes, then who answered', () => {
    const footer = answerFooter(result('stop', ['Fell back to local.', 'Second notice.']), '\n\n---\n### Sources\n');
    assert.equal(footer, `\n\n---\n### Sources\n\n> Fell back to local.\n> Second notice.\n${BY}`);
  });

  it('with no answer: the reason, or that it was cancelled', () => {
    assert.equal(stoppedFooter('Nothing was sent: consent was refused.'), '\n\n---\n_Nothing was sent: consent was refused._\n');
    assert.equal(stoppedFooter(), '\n\n---\n_Cancelled._\n');
  });

  it('the Sources section counts excerpts and distinct files, names the terms and lists each excerpt', () => {
    assert.equal(
      sourcesSection(SEARCH, USED),
      "\n\n---\n### Sources\nPicked 3 excerpt(s) from 2 file(s) out of 42 indexed, by matching the question's terms (cart, total) against definition names and paths, then following imports.\n\n" +
        '- src/cart.ts:1-9 — defines Cart\n- src/cart.ts:20-24 — defines total\n- src/price.ts:3-5 — imported by src/cart.ts\n',
    );
  });

  it('the Sources section says when the index was unavailable, and "none" for a question without terms', () => {
    assert.equal(sourcesSection(undefined, []), '\n\n---\nThe workspace index is not available, so the question went without code excerpts.\n');
    assert.match(sourcesSection({ ...SEARCH, terms: [] }, []), /question's terms \(none\)/);
  });

  it('the CLI\'s account: a summary line, then one indented line per excerpt', () => {
    assert.equal(
      excerptReport(SEARCH, USED, 17),
      'bantam: 3 excerpt(s) from 2 of 17 indexed files (terms: cart, total)\n' +
        '  src/cart.ts:1-9  defines Cart\n  src/cart.ts:20-24  defines total\n  src/price.ts:3-5  imported by src/cart.ts\n',
    );
    assert.equal(excerptReport({ ...SEARCH, terms: [] }, [], 0), 'bantam: 0 excerpt(s) from 0 of 0 indexed files (terms: none)\n');
  });
});
