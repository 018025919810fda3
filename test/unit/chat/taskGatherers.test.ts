// Tests for the gatherers both hosts assemble a task's input with, against a fake index that
// records what it is asked: the context request for a selection (the cursor at the selection's
// first line, the lines the prompt shows left out, nothing asked for an empty budget), the budgets
// each task takes from its room, the search a question or an edit makes (the host's hints, the
// signal, a budget override), and what reaches the prompt (snippets as their five fields only).
import * as assert from 'node:assert/strict';
import {
  editScopeTask,
  explainTask,
  questionTask,
  selectionContext,
  selectionEditTask,
  type SelectionTarget,
  type TaskContextSource,
} from '../../../src/core/chat/taskGatherers';
import { fitToRoom, QUESTION_CONTEXT_TOKENS, SELECTION_CONTEXT_TOKENS, EDIT_SCOPE_TOKENS } from '../../../src/core/chat/promptBudget';
import type { PromptSnippet } from '../../../src/core/chat/taskPrompts';
import type { CodebaseAnswerContext, CodebaseQuery, ContextRequest } from '../../../src/core/context/contextTypes';
import { estimateTokens } from '../../../src/core/kernel/tokenEstimate';

const FOUND: PromptSnippet = { file: 'src/price.ts', startLine: 3, endLine: 5, text: 'export function price() {\n  return 1;\n}', reason: 'defines price' };
/** A search or retrieval result: the prompt's fields plus what the index adds. */
const RESULT = { ...FOUND, tokens: 9, score: 2, kind: 'definition' as const };

class FakeIndex implements TaskContextSource {
  readonly retrieved: ContextRequest[] = [];
  readonly searched: { query: CodebaseQuery; signal?: AbortSignal }[] = [];
  search: CodebaseAnswerContext | undefined = { snippets: [RESULT], filesConsidered: 4, terms: ['price'], truncated: false, tokens: 9 };

  async retrieve(request: ContextRequest) {
    this.retrieved.push(request);
    return { snippets: [RESULT] };
  }

  async searchCodebase(query: CodebaseQuery, signal?: AbortSignal) {
    this.searched.push({ query, signal });
    return this.search;
  }
}

/** Lines 2-3 of a five-line file selected. */
function target(eol = '\n'): SelectionTarget {
  const lines = ['import { price } from "./price";', 'export function total() {', '  return price();', '}', ''];
  return { path: 'src/cart.ts', text: lines.join(eol), languageId: 'typescript', selection: { path: 'src/cart.ts', startLine: 2, endLine: 3, text: lines.slice(1, 3).join(eol) } };
}

describe('taskGatherers', () => {
  describe('selectionContext', () => {
    const cases = [
      { name: 'LF', eol: '\n' },
      { name: 'CRLF', eol: '\r\n' },
    ];
    for (const c of cases) {
      it(`asks at the start of the selection's first line (${c.name}), leaving out the whole file by default`, async () => {
        const index = new FakeIndex();
        const t = target(c.eol);
        const snippets = await selectionContext(index, t, 500);
        assert.deepEqual(index.retrieved, [
          {
            file: 'src/cart.ts',
            languageId: 'typescript',
            text: t.text,
            offset: t.text.indexOf('export'),
            budgetTokens: 500,
            visibleLines: { startLine: 1, endLine: 5 },
          },
        ]);
        assert.deepEqual(snippets, [FOUND]);
        assert.deepEqual(Object.keys(snippets[0]!), Object.keys(FOUND));
      });
    }

    it('leaves out only the lines shown when the prompt shows part of the file', async () => {
      const index = new FakeIndex();
      await selectionContext(index, target(), 500, { startLine: 2, endLine: 3 });
      assert.deepEqual(index.retrieved[0]!.visibleLines, { startLine: 2, endLine: 3 });
    });

    it('at the first line the cursor is at offset 0', async () => {
      const index = new FakeIndex();
      const t = target();
      await selectionContext(index, { ...t, selection: { ...t.selection, startLine: 1 } }, 500);
      assert.equal(index.retrieved[0]!.offset, 0);
    });

    for (const budget of [0, -20]) {
      it(`asks nothing for a budget of ${budget}`, async () => {
        const index = new FakeIndex();
        assert.deepEqual(await selectionContext(index, target(), budget), []);
        assert.deepEqual(index.retrieved, []);
      });
    }
  });

  describe('explainTask', () => {
    it('sends the selection, with context for what the selection leaves of the room', async () => {
      const index = new FakeIndex();
      const t = target();
      const task = explainTask(index, t);
      assert.equal(task.kind, 'explain');
      const input = await task.gather(5_000);
      assert.deepEqual(input, { kind: 'explain', question: '', selection: t.selection, context: [FOUND] });
      assert.equal(index.retrieved[0]!.budgetTokens, fitToRoom(SELECTION_CONTEXT_TOKENS, 5_000 - estimateTokens(t.selection.text)));
      assert.deepEqual(index.retrieved[0]!.visibleLines, { startLine: 2, endLine: 3 });
    });
  });

  describe('selectionEditTask', () => {
    it('shows a file that fits whole, and the context budget is what the file leaves', async () => {
      const index = new FakeIndex();
      const t = target();
      const diagnostic = { message: 'price is not defined', line: 3 };
      const input = await selectionEditTask(index, 'fix-diagnostic', t, 'Fix this problem.', diagnostic).gather(20_000);
      assert.deepEqual(input, {
        kind: 'fix-diagnostic',
        instruction: 'Fix this problem.',
        files: [{ path: 'src/cart.ts', text: t.text }],
        selection: t.selection,
        diagnostic,
        context: [FOUND],
      });
      assert.equal(index.retrieved[0]!.budgetTokens, fitToRoom(SELECTION_CONTEXT_TOKENS, 20_000 - estimateTokens(t.text)));
      assert.deepEqual(index.retrieved[0]!.visibleLines, { startLine: 1, endLine: 5 });
    });

    it('shows a long file around the selection and asks for context beyond those lines', async () => {
      const index = new FakeIndex();
      const lines = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i}, 'some text to make the line long');`);
      const text = lines.join('\n');
      const t: SelectionTarget = { path: 'src/long.ts', text, languageId: '', selection: { path: 'src/long.ts', startLine: 200, endLine: 201, text: lines.slice(199, 201).join('\n') } };
      const input = await selectionEditTask(index, 'refactor', t, 'inline it').gather(8_000);
      assert.deepEqual(input.files[0]!.range, { startLine: 140, endLine: 261 });
      assert.deepEqual(index.retrieved[0]!.visibleLines, { startLine: 140, endLine: 261 });
      assert.equal(index.retrieved[0]!.languageId, '');
    });
  });

  describe('questionTask', () => {
    it('searches with the host\'s hints, asking for the open editors at each gathering', async () => {
      const index = new FakeIndex();
      const abort = new AbortController();
      let open = ['src/a.ts'];
      const heard: [CodebaseAnswerContext | undefined, PromptSnippet[]][] = [];
      const task = questionTask(index, 'where is the price?', {
        activeFile: 'src/cart.ts',
        openFiles: () => open,
        onSearch: (search, used) => heard.push([search, used]),
      });
      assert.equal(task.kind, 'multi-file-question');
      const input = await task.gather(50_000, abort.signal);
      open = ['src/b.ts'];
      await task.gather(3_000);
      assert.deepEqual(input, { kind: 'multi-file-question', question: 'where is the price?', context: [FOUND] });
      assert.deepEqual(
        index.searched.map((s) => s.query),
        [
          { question: 'where is the price?', budgetTokens: QUESTION_CONTEXT_TOKENS, activeFile: 'src/cart.ts', openFiles: ['src/a.ts'] },
          { question: 'where is the price?', budgetTokens: fitToRoom(QUESTION_CONTEXT_TOKENS, 3_000 - estimateTokens('where is the price?')), activeFile: 'src/cart.ts', openFiles: ['src/b.ts'] },
        ],
      );
      assert.equal(index.searched[0]!.signal, abort.signal, 'Cancel stops the search');
      assert.deepEqual(heard, [[index.search, [FOUND]], [index.search, [FOUND]]]);
    });

    it('takes a budget given over the room\'s share, and asks with no hints when given none', async () => {
      const index = new FakeIndex();
      await questionTask(index, 'why?', { budgetTokens: 700 }).gather(50_000);
      assert.deepEqual(index.searched[0]!.query, { question: 'why?', budgetTokens: 700 });
    });

    it('goes without excerpts when the index is unavailable, and says so to onSearch', async () => {
      const index = new FakeIndex();
      index.search = undefined;
      const heard: unknown[] = [];
      const input = await questionTask(index, 'why?', { onSearch: (search, used) => heard.push(search, used) }).gather(50_000);
      assert.deepEqual(input.context, []);
      assert.deepEqual(heard, [undefined, []]);
    });
  });

  describe('editScopeTask', () => {
    it('favours the active file in the search, shows it whole first, then the ranked files read through the host', async () => {
      const index = new FakeIndex();
      const reads: string[] = [];
      const read = async (path: string) => {
        reads.push(path);
        return path === FOUND.file ? 'export function price() {\n  return 1;\n}\n' : undefined;
      };
      const activeFile = { path: 'src/cart.ts', text: 'unsaved buffer\n' };
      const task = editScopeTask(index, 'rename price', read, { activeFile, openFiles: () => ['src/x.ts'] });
      assert.equal(task.kind, 'multi-file-edit');
      const input = await task.gather(100_000);
      assert.deepEqual(index.searched[0]!.query, { question: 'rename price', budgetTokens: EDIT_SCOPE_TOKENS, activeFile: 'src/cart.ts', openFiles: ['src/x.ts'] });
      assert.deepEqual(input, {
        kind: 'multi-file-edit',
        instruction: 'rename price',
        files: [activeFile, { path: 'src/price.ts', text: 'export function price() {\n  return 1;\n}\n' }],
        context: [],
      });
      assert.deepEqual(reads, ['src/price.ts']);
    });

    it('sends an excerpt, as its five fields, of a file too big to show whole', async () => {
      const index = new FakeIndex();
      const input = await editScopeTask(index, 'rename price', async () => 'x'.repeat(400_000)).gather(100_000);
      assert.deepEqual(input.files, []);
      assert.deepEqual(input.context, [FOUND]);
      assert.deepEqual(Object.keys(input.context[0]!), Object.keys(FOUND));
    });

    it('sends nothing of a file the host may not read, and searches with no hints when given none', async () => {
      const index = new FakeIndex();
      const input = await editScopeTask(index, 'rename price', async () => undefined).gather(100_000);
      assert.deepEqual(index.searched[0]!.query, { question: 'rename price', budgetTokens: EDIT_SCOPE_TOKENS });
      assert.deepEqual(input.files, []);
      assert.deepEqual(input.context, []);
    });
  });
});
